from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<str:number>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("contracts/<int:pk>/pdf/", views.contract_document_pdf, name="contract_document_pdf"),
    path("call-records/", views.call_records, name="call_records"),
    path("call-records/export/", views.call_records_csv, name="call_records_csv"),
    path("traffic/", views.housing_traffic, name="housing_traffic"),
]
