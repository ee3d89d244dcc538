"""The billing data in the admin: supervisors create and revoke the integrations' API
tokens; invoices, documents and numbers are shown as the billing system sent them (it
is their source, so nothing here edits them)."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from billing import services
from billing.models import ApiToken, ContractDocument, CustomerNumber, FeedEvent, Invoice
from portal.admin import ReadOnlyAuditAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "key_start", "created_at", "created_by", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    actions = ["revoke"]

    # Supervisors only, agents do not even see the list.
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoked, never deleted: the audit trail keeps naming the token.
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name"]
        return [*self.list_display, "revoked_by"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        token, secret = services.api_token_create(name=obj.name, acting_user=request.user)
        obj.__dict__.update({k: v for k, v in token.__dict__.items() if k != "_state"})
        obj._state.adding = False
        # Shown once by response_add, never stored.
        request.billing_api_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "secret": request.billing_api_secret,
            "title": _("API token created"),
        }
        response = TemplateResponse(request, "admin/billing/apitoken/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        revoked = sum(
            services.api_token_revoke(token=token, acting_user=request.user) for token in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )


class _ShownAsSentAdmin(admin.ModelAdmin):
    """Listed and opened; the billing system changes them, nobody here."""

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # A private file has no URL to show; the customers' pages serve it.
        hidden = set(self.exclude or ())
        return [field.name for field in self.model._meta.fields if field.name not in hidden]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(_ShownAsSentAdmin):
    list_display = ("number", "customer", "issued_on", "due_on", "amount", "currency", "status")
    list_filter = ("status",)
    search_fields = ("number", "customer__contract_number", "customer__name")
    list_select_related = ("customer",)
    exclude = ("pdf",)


@admin.register(ContractDocument)
class ContractDocumentAdmin(_ShownAsSentAdmin):
    list_display = ("title", "customer", "dated", "key")
    search_fields = ("title", "key", "customer__contract_number", "customer__name")
    list_select_related = ("customer",)
    exclude = ("pdf",)


@admin.register(CustomerNumber)
class CustomerNumberAdmin(_ShownAsSentAdmin):
    list_display = ("number", "customer")
    search_fields = ("number", "customer__contract_number", "customer__name")
    list_select_related = ("customer",)


@admin.register(FeedEvent)
class FeedEventAdmin(ReadOnlyAuditAdmin):
    list_display = ("created_at", "kind", "token", "actor", "source")
    list_filter = ("kind",)
    list_select_related = ("token", "actor")
