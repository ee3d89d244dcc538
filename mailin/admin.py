"""Staff's list of inbound emails: what came in, from whom, what became of it and why;
"retry" for failed ones and "assign to customer" for a refused one staff recognise."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mailin import parsing, services
from mailin.models import InboundEmail
from portal.admin import ReadOnlyAuditAdmin


class AssignForm(forms.Form):
    login = forms.ModelChoiceField(
        label=_("Customer login"),
        queryset=User.objects.filter(customer__isnull=False, is_active=True)
        .select_related("customer")
        .order_by("customer__name", "username"),
        help_text=_("The email is processed as if this login had sent it."),
    )


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAuditAdmin):
    list_display = ["received_at", "status", "sender", "subject", "ticket_link", "reason"]
    list_filter = ["status", "mailbox"]
    search_fields = ["sender", "subject", "message_id", "ticket__reference"]
    list_select_related = ["ticket"]
    actions = ["retry"]
    exclude = ["raw"]

    # Every agent works the inbound emails, as they work the queue.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name != "raw"] + [
            "text"
        ]

    @admin.display(description=_("request"), ordering="ticket__reference")
    def ticket_link(self, inbound: InboundEmail) -> str:
        if inbound.ticket is None:
            return ""
        url = reverse("admin:tickets_ticket_change", args=[inbound.ticket_id])
        return format_html('<a href="{}">{}</a>', url, inbound.ticket.reference)

    @admin.display(description=_("text (as kept)"))
    def text(self, inbound: InboundEmail) -> str:
        # Shown as text only: whatever HTML the email had was converted when parsed.
        with inbound.raw.open("rb") as handle:
            return parsing.parse(handle.read()).text

    @admin.action(description=_("Retry the selected failed emails"))
    def retry(self, request: HttpRequest, queryset) -> None:
        done = 0
        for inbound in queryset.filter(status=InboundEmail.Status.FAILED):
            services.inbound_email_retry(inbound=inbound, acting_user=request.user)
            done += 1
        self.message_user(request, gettext("Retried %(count)d emails.") % {"count": done})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/assign/",
                view(self.assign_view),
                name="mailin_inboundemail_assign",
            ),
            *super().get_urls(),
        ]

    def assign_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        inbound = get_object_or_404(InboundEmail, pk=pk)
        if not self.has_view_permission(request, inbound):
            raise Http404
        form = AssignForm(request.POST or None)
        if inbound.status == InboundEmail.Status.REFUSED and form.is_valid():
            status = services.inbound_email_assign(
                inbound=inbound,
                acting_user=request.user,
                customer_user=form.cleaned_data["login"],
            )
            messages.info(
                request,
                gettext("The email is now: %(status)s.")
                % {"status": InboundEmail.Status(status).label},
            )
            return HttpResponseRedirect(
                reverse("admin:mailin_inboundemail_change", args=[inbound.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "inbound": inbound,
            "form": form,
            "title": gettext("Assign an email to a customer"),
        }
        return TemplateResponse(request, "mailin/admin/assign.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {})}
        inbound = self.get_object(request, object_id)
        if inbound is not None and inbound.status == InboundEmail.Status.REFUSED:
            extra_context["assign_url"] = reverse(
                "admin:mailin_inboundemail_assign", args=[inbound.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)
