from django.urls import path

from alerts import views
from alerts.followers import callback

urlpatterns = [
    path("sms/subscribe/", views.subscribe, name="alerts_subscribe"),
    path("sms/verify/", views.verify_code, name="alerts_verify"),
    path("sms/unsubscribe/<str:token>/", views.unsubscribe_link, name="alerts_unsubscribe"),
    path("sms/inbound/", views.inbound_message, name="alerts_inbound"),
    path("wechat/", callback.callback, name="alerts_wechat_callback"),
]
