"""AppTest of the speech recognition page: samples, microphone, upload, bad input — no exception, ever."""

import io

import numpy as np
import pytest

from dl_apps.tasks import asr
from dl_apps.media import audio
from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page

PAGE = "pages/asr.py"


def sample_index(sample_id: str) -> int:
    return [clip.id for clip in asr.samples()].index(sample_id)


def transcript(app) -> str:
    return str(app.code[0].value) if len(app.code) else ""


@pytest.mark.parametrize("lang", ["en"])  # French page strings are covered by the tests below
def test_sample_click_shows_transcript_segments_and_picture(lang):
    app = open_page(PAGE, lang)
    assert_no_exception(app)
    assert t("asr.title", lang) in all_text(app)
    assert t("asr.pick_input", lang) in all_text(app)
    app.button(key=f"asr_sample_{sample_index('en_librivox_0930')}").click().run()
    assert_no_exception(app)
    assert "amiable" in transcript(app).lower()
    assert len(app.dataframe) == 1 and len(app.dataframe[0].value) >= 1  # the segments table
    assert any(t("asr.picture", lang) in image.captions for image in app.image)  # waveform + spectrogram
    text = all_text(app)
    assert t("asr.known_transcript", lang, text="he might even have been made amiable himself") in text


def test_microphone_recording_is_transcribed():
    clip = asr.decode_audio(asr.sample("en_librivox_0880").file.read_bytes()).samples
    wav = audio.encode_audio(clip, "wav", sample_rate=48000)  # browsers record at 44.1/48 kHz
    app = open_page(PAGE)
    app.audio_input(key="asr_mic").set_value(("recording.wav", wav, "audio/wav")).run()
    assert_no_exception(app)
    assert "young man" in transcript(app).lower()


def test_silent_recording_says_so_without_text():
    wav = audio.encode_audio(np.zeros(audio.SAMPLE_RATE * 2, dtype=np.float32), "wav")
    app = open_page(PAGE, "fr")
    app.audio_input(key="asr_mic").set_value(("recording.wav", wav, "audio/wav")).run()
    assert_no_exception(app)
    assert t("notice.asr_silence", "fr") in all_text(app)
    assert transcript(app) == t("asr.empty_transcript", "fr")


def test_png_renamed_mp3_gives_a_clear_message(lang):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(buffer, format="PNG")
    app = open_page(PAGE, lang)
    app.file_uploader(key="asr_upload").upload("song.mp3", buffer.getvalue(), "audio/mpeg").run()
    assert_no_exception(app)
    assert t("error.asr_not_audio", lang) in all_text(app)


def test_uploaded_ogg_is_decoded_and_transcribed():
    clip = asr.decode_audio(asr.sample("en_librivox_0930").file.read_bytes()).samples
    app = open_page(PAGE)
    app.file_uploader(key="asr_upload").upload("clip.ogg", audio.encode_audio(clip, "opus"), "audio/ogg").run()
    assert_no_exception(app)
    assert "amiable" in transcript(app).lower()


@pytest.mark.slow
def test_french_sample_on_the_multilingual_model_is_detected_as_french():
    app = open_page(PAGE, "fr")
    app.selectbox(key="asr_model").set_value("whisper-base").run()
    app.button(key=f"asr_sample_{sample_index('fr_espeak')}").click().run()
    assert_no_exception(app)
    assert "reconnaissance" in transcript(app).lower()
    assert any("Français" in str(metric.value) for metric in app.metric)


@pytest.mark.slow
def test_compare_with_the_reference_engine():
    app = open_page(PAGE)
    app.toggle(key="asr_compare").set_value(True).run()
    app.button(key=f"asr_sample_{sample_index('en_librivox_0930')}").click().run()
    assert_no_exception(app)
    assert t("asr.compare_title", "en") in all_text(app)


def test_french_sample_on_the_default_model_in_the_french_interface_is_routed():
    app = open_page(PAGE, "fr")  # default model tiny.en, language "detect"
    app.button(key=f"asr_sample_{sample_index('fr_espeak')}").click().run()
    assert_no_exception(app)
    assert "reconnaissance" in transcript(app).lower()
    text = all_text(app)
    assert "Whisper base" in text and t("asr.french_note", "fr") in text
    assert not app.warning or all("anglais" not in str(w.value) for w in app.warning)  # no "English only" error


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_read_aloud_gives_audio_download_and_round_trip_wer(lang):
    app = open_page(PAGE, lang)
    app.button(key="tts_speak").click().run()
    assert_no_exception(app)
    assert t("tts.tab", lang) in [tab.label for tab in app.tabs]
    text = all_text(app)
    assert " Hz" in text and len(app.get("audio")) >= 1  # the player and its caption (rate, latency, real-time factor)
    app.button(key="tts_round_trip").click().run()
    assert_no_exception(app)
    assert any("%" in str(item.value) for item in app.success)  # "... word error rate 12%"


def test_read_aloud_empty_text_is_a_clear_message():
    app = open_page(PAGE, "fr")
    app.text_area(key="tts_text_fr").set_value("   ").run()
    app.button(key="tts_speak").click().run()
    assert_no_exception(app)
    assert t("error.empty_text", "fr") in all_text(app)
