from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sms.services import sms_status_report
from sms.webhooks import twilio_request_is_signed


@csrf_exempt
@require_POST
def twilio_status_callback(request: HttpRequest, sms_id: int) -> HttpResponse:
    if not twilio_request_is_signed(request):
        return HttpResponseForbidden()
    sms_status_report(
        sms_id=sms_id,
        provider_sid=request.POST.get("MessageSid", ""),
        provider_status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)
