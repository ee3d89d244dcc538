from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.activity import services as activity_services
from accounts.mfa import services as mfa_services
from accounts.models import AccountEvent, Customer, LoginAttempt, SignedInSession, User
from portal.admin import ReadOnlyAuditAdmin


class LoginInline(admin.TabularInline):
    model = User
    fk_name = "customer"
    fields = ("username", "full_name", "email", "mobile", "role", "is_active", "last_login")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("login")
    verbose_name_plural = _("logins of this customer")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "contract_number", "plan", "created_at")
    list_filter = ("plan",)
    search_fields = (
        "name",
        "contract_number",
        "logins__email",
        "logins__username",
        "logins__full_name",
    )
    ordering = ("name",)
    inlines = [LoginInline]
    show_full_result_count = False


class PortalUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "full_name")


class PortalUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = (
        "username",
        "full_name",
        "email",
        "customer",
        "role",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "role", "customer__plan")
    search_fields = (
        "username",
        "full_name",
        "email",
        "mobile",
        "customer__name",
        "customer__contract_number",
    )
    list_select_related = ("customer",)
    ordering = ("username",)
    raw_id_fields = ("customer",)
    # A mobile number is the login's once the code sent to it is entered by its owner;
    # one typed here would skip that proof.
    readonly_fields = ("mobile", "mobile_verified_at", "email_bounced_at")
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal details"),
            {
                "fields": (
                    "full_name",
                    "email",
                    "email_bounced_at",
                    "mobile",
                    "mobile_verified_at",
                    "language",
                )
            },
        ),
        (
            _("Customer"),
            {"fields": ("customer", "role", *User.CUSTOMER_PERMISSIONS)},
        ),
        (
            _("Staff permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "full_name", "password1", "password2"),
            },
        ),
    )


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAuditAdmin):
    list_display = ("created_at", "user", "kind", "actor", "ip_address")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__email", "actor__username")
    list_select_related = ("user", "actor")
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAuditAdmin):
    list_display = (
        "created_at",
        "user",
        "outcome",
        "method",
        "ip_address",
        "browser_family",
        "browser_version",
        "system",
    )
    list_filter = ("outcome", "method")
    search_fields = ("user__username", "user__email", "ip_address")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.action(description=_("Sign these sessions out"))
def sessions_sign_out(modeladmin, request, queryset) -> None:
    for session in queryset.select_related("user"):
        activity_services.session_end(
            user=session.user, session_id=session.pk, acting_user=request.user
        )
    modeladmin.message_user(
        request, _("%(count)s session(s) signed out.") % {"count": len(queryset)}
    )


@admin.register(SignedInSession)
class SignedInSessionAdmin(ReadOnlyAuditAdmin):
    list_display = (
        "user",
        "browser_family",
        "system",
        "ip_address",
        "created_at",
        "last_seen_at",
    )
    search_fields = ("user__username", "user__email", "ip_address")
    list_select_related = ("user",)
    actions = [sessions_sign_out]


# --- Two-factor authentication ---------------------------------------------------------


@admin.action(description=_("Reset two-factor authentication (the login lost every method)"))
def two_factor_reset(modeladmin, request, queryset) -> None:
    for user in queryset:
        mfa_services.two_factor_reset(user=user, acting_user=request.user)
    modeladmin.message_user(
        request,
        _("Two-factor authentication is off for %(count)s login(s); they have been emailed.")
        % {"count": len(queryset)},
    )


UserAdmin.actions = [*(UserAdmin.actions or []), two_factor_reset]
