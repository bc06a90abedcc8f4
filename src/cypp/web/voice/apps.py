from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "cypp.web.voice"
    label = "voice"
    verbose_name = "Children and young people's voice"
