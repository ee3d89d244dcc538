from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.storage import private_file_response
from portal.useragent import describe_user_agent
from tickets import selectors, services
from tickets.forms import AttachmentsFormMixin, CustomerReplyForm, TicketCreateForm
from tickets.models import Attachment, Ticket


def _keep_valid_files(request: HttpRequest, form: AttachmentsFormMixin) -> None:
    stored = services.pending_upload_store(owner=request.user, files=form.accepted_files)
    form.offer_back(stored.kept, not_kept=stored.not_kept)


def _with_detail_urls(tickets) -> list[Ticket]:
    """The tickets of a list, each with the URL of its page as `detail_url`: reversed once
    for the page, then the reference put in, as reverse() would quote it."""
    head, tail = reverse("tickets:detail", args=["0"]).rsplit("/0/", 1)
    tickets = list(tickets)
    for ticket in tickets:
        ticket.detail_url = (
            f"{head}/{quote(ticket.reference, safe=RFC3986_SUBDELIMS + '~:@')}/{tail}"
        )
    return tickets


def _visible_ticket(request: HttpRequest, reference: str) -> Ticket:
    return get_object_or_404(
        selectors.tickets_visible_to(request.user).select_related(
            "category", "customer", "requester"
        ),
        reference=reference,
    )


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    search = request.GET.get("q", "")
    page = selectors.customer_ticket_list_page(
        user=request.user, status=status, search=search, number=request.GET.get("page"), per_page=25
    )
    page.object_list = _with_detail_urls(page.object_list)
    return render(
        request,
        "tickets/ticket_list.html",
        {
            "page": page,
            "status": status,
            "search": search,
            "statuses": Ticket.Status.choices,
            "can_open": request.user.customer_id is not None,
        },
    )


@login_required
def ticket_create(request: HttpRequest) -> HttpResponse:
    if request.user.customer_id is None:
        raise Http404
    if request.method == "POST":
        form = TicketCreateForm(request.POST, request.FILES, owner=request.user)
        if form.is_valid():
            data = form.cleaned_data
            ticket = services.ticket_create(
                requester=request.user,
                subject=data["subject"],
                description=data["description"],
                category=data["category"],
                priority=data["priority"],
                browser=data["browser"],
                device=data["device"],
                files=form.accepted_files,
                pending_uploads=form.kept_uploads,
            )
            messages.success(
                request,
                _("Your request has been received. Its reference is %(reference)s.")
                % {"reference": ticket.reference},
            )
            return redirect("tickets:detail", reference=ticket.reference)
        _keep_valid_files(request, form)
    else:
        browser, device = describe_user_agent(request.headers.get("User-Agent", ""))
        form = TicketCreateForm(owner=request.user, initial={"browser": browser, "device": device})
    return render(
        request,
        "tickets/ticket_create.html",
        {
            "form": form,
            "policies": selectors.sla_policies_for_plan(plan=request.user.customer.plan),
            "plan": request.user.customer.get_plan_display(),
        },
    )


@login_required
def ticket_detail(request: HttpRequest, reference: str) -> HttpResponse:
    if request.method != "POST":
        ticket = selectors.customer_ticket_on_page(user=request.user, reference=reference)
        if ticket is None:
            raise Http404
        form = CustomerReplyForm(owner=request.user)
    else:
        ticket = _visible_ticket(request, reference)
        form = CustomerReplyForm(request.POST, request.FILES, owner=request.user)
        if ticket.status == Ticket.Status.CLOSED:
            messages.error(request, _("This request is closed: open a new one instead."))
            return redirect("tickets:detail", reference=ticket.reference)
        if form.is_valid():
            try:
                services.ticket_reply_as_customer(
                    ticket=ticket,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    files=form.accepted_files,
                    pending_uploads=form.kept_uploads,
                )
            except services.TicketNotOpen:
                # Closed by someone else since the page was loaded.
                messages.error(request, _("This request is closed: open a new one instead."))
            else:
                messages.success(request, _("Your reply has been sent."))
            return redirect("tickets:detail", reference=ticket.reference)
        _keep_valid_files(request, form)
    if request.method != "POST":
        policy = selectors.customer_ticket_promise(ticket)
    else:
        policy = selectors.sla_policy_for(plan=ticket.customer.plan, priority=ticket.priority)
    return render(
        request,
        "tickets/ticket_detail.html",
        {
            "ticket": ticket,
            "thread": selectors.ticket_thread(ticket=ticket, include_internal=False),
            "policy": policy,
            "form": form,
        },
    )


@login_required
@require_POST
def ticket_close(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = _visible_ticket(request, reference)
    services.ticket_close(ticket=ticket, acting_user=request.user)
    messages.success(request, _("The request is closed."))
    return redirect("tickets:detail", reference=ticket.reference)


@login_required
@require_POST
def ticket_reopen(request: HttpRequest, reference: str) -> HttpResponse:
    ticket = _visible_ticket(request, reference)
    try:
        services.ticket_reopen(ticket=ticket, acting_user=request.user)
    except services.TicketNotOpen:
        messages.error(request, _("Only a resolved request can be reopened."))
    else:
        messages.success(request, _("The request is open again."))
    return redirect("tickets:detail", reference=ticket.reference)


def _private_file_response(attachment: Attachment, *, thumbnail: bool) -> FileResponse:
    if thumbnail:
        response = private_file_response(attachment.thumbnail.name, content_type="image/png")
        response["Content-Disposition"] = "inline"
    else:
        response = private_file_response(
            attachment.file.name,
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_visible_to(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    return _private_file_response(attachment, thumbnail=False)


@login_required
def attachment_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_visible_to(user=request.user, pk=pk)
    if attachment is None or not attachment.thumbnail:
        raise Http404
    return _private_file_response(attachment, thumbnail=True)
