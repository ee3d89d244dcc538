from collections.abc import Sequence
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, RelatedFieldWidgetWrapper
from django.core import signing
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tickets.attachments import CheckedFile, check_upload
from tickets.models import PRIORITY_DEFINITIONS, Category, PendingUpload, Priority, Ticket

_KEPT_SALT = "tickets.pending-upload"


def kept_upload_token(pending: PendingUpload) -> str:
    # Signed with its owner, so a token is worth nothing to another login even if the
    # lookup below were ever loosened.
    return signing.dumps([pending.owner_id, pending.pk], salt=_KEPT_SALT)


def _html_attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A select that writes the HTML of Django's select templates itself: the templates
    include one template per option, and the queue's action bar has 25 options."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        if self.option_template_name != forms.Select.option_template_name:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{_html_attrs(widget["attrs"])}>'
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(option["value"])}"'
                    f"{_html_attrs(option['attrs'])}>{conditional_escape(option['label'])}"
                    "</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every name, value and label escaped


PLAIN_INPUT_TEMPLATES = {
    "django/forms/widgets/input.html",
    "django/forms/widgets/hidden.html",
    "django/forms/widgets/text.html",
    "django/forms/widgets/checkbox.html",
}


class PlainInputMixin:
    """A widget that writes the HTML of Django's input.html and textarea.html itself: the
    templates take a tenth of a millisecond a field, with attrs.html included."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        template_name = self.template_name
        if template_name not in PLAIN_INPUT_TEMPLATES | {"django/forms/widgets/textarea.html"}:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        if template_name == "django/forms/widgets/textarea.html":
            shown = conditional_escape(value) if value else ""
            html = (
                f'<textarea name="{conditional_escape(widget["name"])}"'
                f"{_html_attrs(widget['attrs'])}>\n{shown}</textarea>"
            )
        else:
            shown = "" if value is None else f' value="{conditional_escape(value)}"'
            html = (
                f'<input type="{conditional_escape(widget["type"])}" '
                f'name="{conditional_escape(widget["name"])}"{shown}{_html_attrs(widget["attrs"])}>'
            )
        return mark_safe(html)  # noqa: S308 - every name, value and attribute escaped


class PlainHiddenInput(PlainInputMixin, forms.HiddenInput):
    pass


class PlainTextarea(PlainInputMixin, forms.Textarea):
    pass


class PlainCheckboxInput(PlainInputMixin, forms.CheckboxInput):
    pass


class PlainForeignKeyRawIdWidget(ForeignKeyRawIdWidget):
    """The admin's raw id widget (the assignee's), writing admin/widgets/foreign_key_raw_id.html
    itself, and naming the object it shows from `known` (the ticket's assignee, read with
    the ticket) instead of reading it again."""

    known = None

    def label_and_url_for_value(self, value):
        known = self.known
        if (
            known is None
            or self.rel.get_related_field().name != "id"
            or str(value) != str(known.pk)
        ):
            return super().label_and_url_for_value(value)
        try:
            url = reverse(
                f"{self.admin_site.name}:{known._meta.app_label}_{known._meta.model_name}_change",
                args=(known.pk,),
            )
        except NoReverseMatch:
            url = ""
        return Truncator(known).words(14), url

    def render(self, name, value, attrs=None, renderer=None) -> str:
        if self.template_name != ForeignKeyRawIdWidget.template_name:
            return super().render(name, value, attrs, renderer)
        context = self.get_context(name, value, attrs)
        e = conditional_escape
        widget = context["widget"]
        shown = "" if widget["value"] is None else f' value="{e(widget["value"])}"'
        html = (
            f'<input type="{e(widget["type"])}" name="{e(widget["name"])}"{shown}'
            f"{_html_attrs(widget['attrs'])}>"
        )
        related_url = context["related_url"]
        if related_url:
            html = (
                f'<div>{html}<a href="{e(related_url)}" class="related-lookup" '
                f'id="lookup_id_{e(widget["name"])}" title="{e(context["link_title"])}"></a>'
            )
        label = context["link_label"]
        if label:
            link_url = context["link_url"]
            shown_label = f'<a href="{e(link_url)}">{e(label)}</a>' if link_url else e(label)
            html += f"\n<strong>{shown_label}</strong>"
        if related_url:
            html += "</div>"
        return mark_safe(html)  # noqa: S308 - every name, value, URL and label escaped


# The links of admin/widgets/related_widget_wrapper.html, in its order: the kind, the
# permission that shows it, its indentation, its attributes (each a name and the context's
# URL and query string, or a fixed value), its title and its icon.
_RELATED_LINKS = (
    (
        "change",
        "can_change_related",
        12,
        (
            ("data-href-template", ("change_related_template_url", "url_params")),
            ("data-popup", "yes"),
        ),
        gettext_noop("Change selected %(model)s"),
        "admin/img/icon-changelink.svg",
    ),
    (
        "add",
        "can_add_related",
        12,
        (("data-popup", "yes"), ("href", ("add_related_url", "url_params"))),
        gettext_noop("Add another %(model)s"),
        "admin/img/icon-addlink.svg",
    ),
    (
        "delete",
        "can_delete_related",
        12,
        (
            ("data-href-template", ("delete_related_template_url", "url_params")),
            ("data-popup", "yes"),
        ),
        gettext_noop("Delete selected %(model)s"),
        "admin/img/icon-deletelink.svg",
    ),
    (
        "view",
        "can_view_related",
        13,
        (("data-href-template", ("change_related_template_url", "view_related_url_params")),),
        gettext_noop("View selected %(model)s"),
        "admin/img/icon-viewlink.svg",
    ),
)


class PlainRelatedFieldWidgetWrapper(RelatedFieldWidgetWrapper):
    """The admin's wrapper of a related object's select (the category's) with its change,
    add, delete and view links, writing admin/widgets/related_widget_wrapper.html itself:
    the template took about 1 ms of the ticket page (its spaceless block, four translations
    and four static URLs)."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        if self.template_name != RelatedFieldWidgetWrapper.template_name:
            return super().render(name, value, attrs, renderer)
        context = self.get_context(name, value, attrs)
        e = conditional_escape
        links = []
        if not context["is_hidden"]:
            # {% blocktranslate %} escapes the model's name, not the translation.
            model = {"model": e(context["model"])}
            for kind, permission, indent, attributes, title, icon in _RELATED_LINKS:
                if not context[permission]:
                    continue
                space = "\n" + " " * indent
                html = (
                    f'<a class="related-widget-wrapper-link {kind}-related" '
                    f'id="{kind}_id_{e(name)}"'
                )
                for attribute, given in attributes:
                    if isinstance(given, tuple):
                        url, params = given
                        given = f"{context[url]}?{context[params]}"
                    html += f'{space}{attribute}="{e(given)}"'
                html += (
                    f'{space}title="{gettext(title) % model}">'
                    f'<img src="{e(static(icon))}" alt="" width="24" height="24"></a>'
                )
                links.append(html)
        ref = (
            ""
            if context["model_has_limit_choices_to"]
            else f'data-model-ref="{e(context["model_name"])}"'
        )
        html = (
            f'<div class="related-widget-wrapper" {ref}>\n    {context["rendered_widget"]}\n'
            f"    \n        {''.join(links)}\n    \n</div>"
        )
        return mark_safe(html)  # noqa: S308 - every name, URL and label escaped


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a short list read with one query: Django's own iterator() opens a
    server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE) even for ten rows. A field
    given its objects already read (`listed`) shows those."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        listed = self.field.listed
        for obj in self.queryset.all() if listed is None else listed:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice among a short list; what is chosen is checked against the queryset."""

    iterator = ListedChoiceIterator
    listed = None


class MultipleFileInput(forms.ClearableFileInput):
    """Several files in one input, writing the HTML of Django's clearable_file_input.html
    itself when there is no file already (always, in the reply forms): the template and
    attrs.html took about 1 ms of the agent's ticket page."""

    allow_multiple_selected = True

    def render(self, name, value, attrs=None, renderer=None) -> str:
        if self.template_name != forms.ClearableFileInput.template_name:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        if widget["is_initial"]:
            return super().render(name, value, attrs, renderer)
        html = (
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{_html_attrs(widget["attrs"])}>'
        )
        return mark_safe(html)  # noqa: S308 - the name, type and attributes escaped


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the form, which knows the limits
    and keeps the good ones when others are refused."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return list(data)
        return [data] if data else []


class PriorityRadioSelect(forms.RadioSelect):
    """Radio buttons that show each priority's definition (seed 001) under its name."""

    option_template_name = "tickets/widgets/priority_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["definition"] = PRIORITY_DEFINITIONS.get(int(value), "") if value else ""
        option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_definition"
        return option


class AttachmentsFormMixin(forms.Form):
    """Files of a message. Files that pass the checks while something else is wrong are
    offered back as kept files (checkboxes carrying a signed token), so nothing chosen is
    lost; files that fail are named in the error."""

    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.log,.zip"}
        ),
    )

    def __init__(self, *args, owner: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["attachments"].help_text = _(
            "Screenshots and other images, PDF, text or log files, ZIP archives; up to "
            "%(size)d MB each."
        ) % {"size": settings.TICKETS_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        self.accepted_files: list[CheckedFile] = []
        self.kept_uploads: list[PendingUpload] = self._load_kept_uploads()

    def _load_kept_uploads(self) -> list[PendingUpload]:
        if not self.is_bound:
            return []
        ids = []
        for token in self.data.getlist("kept_upload"):
            try:
                owner_id, pk = signing.loads(
                    token,
                    salt=_KEPT_SALT,
                    max_age=timedelta(hours=settings.TICKETS_KEPT_UPLOAD_HOURS),
                )
            except (signing.BadSignature, TypeError, ValueError):
                continue
            if owner_id == self.owner.pk:
                ids.append(pk)
        return list(PendingUpload.objects.filter(owner=self.owner, pk__in=ids).order_by("pk"))

    def offer_back(
        self, kept: list[PendingUpload], *, not_kept: Sequence[CheckedFile] = ()
    ) -> None:
        """The form has errors: show the files that passed as kept ones, so they need not
        be chosen again, and name those past the login's quota of kept files."""
        self.kept_uploads += kept
        self.accepted_files = []
        if not_kept:
            self.add_error(
                "attachments",
                ValidationError(
                    _(
                        "Not kept, because the files kept for your unsent forms may take at "
                        "most %(size)d MB at once: %(names)s. Choose them again when you "
                        "send the form."
                    )
                    % {
                        "size": settings.TICKETS_KEPT_UPLOAD_MAX_BYTES // (1024 * 1024),
                        "names": ", ".join(checked.name for checked in not_kept),
                    },
                    code="kept_quota",
                ),
            )

    @property
    def kept_upload_hours(self) -> int:
        return settings.TICKETS_KEPT_UPLOAD_HOURS

    @property
    def kept_items(self) -> list[tuple[str, PendingUpload]]:
        return [(kept_upload_token(pending), pending) for pending in self.kept_uploads]

    def clean_attachments(self) -> list[CheckedFile]:
        errors = []
        for upload in self.files.getlist("attachments"):
            try:
                self.accepted_files.append(check_upload(upload))
            except ValidationError as error:
                errors.append(error)
        limit = settings.TICKETS_ATTACHMENTS_PER_MESSAGE
        if len(self.accepted_files) + len(self.kept_uploads) > limit:
            errors.append(
                ValidationError(
                    ngettext(
                        "At most %(limit)d file can be attached to a message.",
                        "At most %(limit)d files can be attached to a message.",
                        limit,
                    )
                    % {"limit": limit},
                    code="too_many",
                )
            )
            self.accepted_files = []
        if errors:
            raise ValidationError(errors)
        return self.accepted_files


class TicketCreateForm(AttachmentsFormMixin):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), empty_label=None
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.NORMAL,
        widget=PriorityRadioSelect,
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happens, what you expected instead, and the steps that lead to it."),
    )
    browser = forms.CharField(
        label=_("Browser"),
        max_length=200,
        required=False,
        help_text=_("Filled in from this browser; correct it if the problem is elsewhere."),
    )
    device = forms.CharField(
        label=_("Device"),
        max_length=200,
        required=False,
        help_text=_("For example: Windows computer, iPhone, Android tablet."),
    )

    field_order = ["subject", "category", "priority", "description", "attachments", "browser"]


class CustomerReplyForm(AttachmentsFormMixin):
    # Written without templates, as the agent's (PlainTextarea: Django's HTML).
    body = forms.CharField(label=_("Your reply"), widget=PlainTextarea(attrs={"rows": 6}))

    field_order = ["body", "attachments"]


class AgentReplyForm(AttachmentsFormMixin):
    # The agent's ticket page writes these widgets' HTML without templates (Plain*).
    body = forms.CharField(label=_("Message"), widget=PlainTextarea(attrs={"rows": 8}))
    internal = forms.BooleanField(
        label=_("Internal note (not shown or sent to the customer)"),
        required=False,
        widget=PlainCheckboxInput,
    )
    status = forms.ChoiceField(
        label=_("Set status to"),
        required=False,
        choices=[("", _("Waiting on customer after a reply; unchanged after a note"))]
        + list(Ticket.Status.choices),
        widget=PlainSelect,
    )

    # The newest message on the page the agent replied from, to notice a colleague's reply
    # sent meanwhile; once the agent has seen that notice, the reply goes anyway.
    seen_message_id = forms.IntegerField(required=False, widget=PlainHiddenInput)
    send_anyway = forms.BooleanField(required=False, widget=PlainHiddenInput)

    field_order = ["body", "attachments", "internal", "status"]


class TicketChangeForm(forms.ModelForm):
    """The admin's form of a ticket: its raw id widget names the assignee read with the
    ticket (PlainForeignKeyRawIdWidget.known)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("assignee")
        widget = getattr(field, "widget", None)
        if isinstance(widget, PlainForeignKeyRawIdWidget) and self.instance.assignee_id:
            widget.known = self.instance.assignee
