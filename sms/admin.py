from django.contrib import admin

from portal.admin import ReadOnlyAuditAdmin
from sms.models import InboundSms, SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAuditAdmin):
    """The SMS outbox and delivery log; records are written only by the gateway."""

    list_display = ("created_at", "to", "purpose", "status", "error_code", "user", "sent_at")
    list_filter = ("status", "purpose", "created_at")
    search_fields = ("to", "provider_sid", "user__username", "user__email")
    date_hierarchy = "created_at"
    list_select_related = ("user",)


@admin.register(InboundSms)
class InboundSmsAdmin(ReadOnlyAuditAdmin):
    """Messages received on the provider's number, each handled once."""

    list_display = ("received_at", "from_number", "provider_sid")
    search_fields = ("from_number", "provider_sid")
    date_hierarchy = "received_at"
