"""Read-aloud recordings made in the browser by staff and invited volunteers, played by the kiosk.

Device voices for Pashto, Tigrinya, Sorani and Kurmanji are missing on most tablets; a recording of each
text a person hears (``texts.spoken_texts``) fills the gap. Files live in ``<instance>/recordings/`` (a
backup carries them); ``storage.audio_urls`` is what a kiosk screen plays.
"""
from .blueprint import bp
from .storage import audio_urls

__all__ = ["audio_urls", "bp"]
