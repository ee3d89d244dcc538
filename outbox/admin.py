from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox.models import OutboundEmail
from outbox.services import email_send_again
from portal.admin import ReadOnlyAuditAdmin


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAuditAdmin):
    """What the portal has sent, is sending and could not send. The text is not shown:
    it may hold a code or a link that signs in."""

    list_display = ("created_at", "to", "subject", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "template")
    search_fields = ("to", "subject", "message_id")
    date_hierarchy = "created_at"
    list_select_related = False
    actions = ["send_again"]
    fields = (
        "to",
        "subject",
        "template",
        "user",
        "message_id",
        "reply_to",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "due_at",
        "claimed_at",
        "claimed_by",
        "sent_at",
    )

    def has_send_again_permission(self, request) -> bool:
        # The records stay read-only; the permission to change them allows this one action.
        return request.user.has_perm("outbox.change_outboundemail")

    @admin.action(description=_("Send the failed emails again"), permissions=["send_again"])
    def send_again(self, request, queryset) -> None:
        again = sum(email_send_again(email=email) for email in queryset)
        skipped = queryset.count() - again
        if again:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email will be sent again.",
                    "%(count)d emails will be sent again.",
                    again,
                )
                % {"count": again},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email was not failed and was left as it is.",
                    "%(count)d emails were not failed and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
