"""Speech recognition page: Whisper on a sample, a microphone recording or an uploaded file."""

import hashlib

import pandas as pd
import streamlit as st

from dl_apps.tasks import asr, tts
from dl_apps.tasks.tts import roundtrip
from dl_apps.media import audio
from dl_apps.registry import load_registry
from dl_apps.ui import page as ui

INPUT_KEY = "asr_input"  # (kind, name, bytes, sha1) of the audio being transcribed
RESULT_KEY = "asr_last"  # the last transcription, so that reruns (selecting a segment) do not redo it
REFERENCE_ID = load_registry().model_with_role("asr", "reference-engine").id  # roles from the manifest
COMPARABLE = tuple(spec.id for spec in load_registry().models_with_role("asr", "same-weights-as-reference"))


def remember_input(kind: str, name: str, data: bytes) -> None:
    st.session_state[INPUT_KEY] = (kind, name, data, hashlib.sha1(data).hexdigest())



def language_name(code: str) -> str:
    key = f"asr.lang.{code}"
    return ui.tr(key) if code in asr.LANGUAGE_CHOICES else code


def transcribe(data: bytes, model_id: str, language: str, beam: int, vad: bool, compare: bool) -> dict:
    """Decode, transcribe (with a progress bar and partial text), optionally on the reference engine too."""
    decoded = asr.prepare_audio(data)
    bar = st.progress(0.0, text=ui.tr("asr.progress", percent=0.0))
    partial = st.empty()

    def on_progress(fraction: float, segments: list) -> None:
        bar.progress(fraction, text=ui.tr("asr.progress", percent=fraction))
        partial.caption(f"{ui.tr('asr.partial')} {' '.join(s.text for s in segments[-3:])}")

    with st.spinner(ui.tr("common.loading_model")):
        result = asr.run(
            decoded, language, model_id=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice(), on_progress=on_progress,
            beam_size=beam, vad_filter=vad, prefer_multilingual=lang == "fr",  # French interface + auto: the multilingual model
        )
        reference = None
        if compare and not result.silence:
            reference = asr.run(decoded, language, model_id=REFERENCE_ID, cache=ui.model_cache(), on_queue=ui.queue_notice(), beam_size=beam)
    bar.empty()
    partial.empty()
    picture = asr.audio_picture(decoded.samples, result.segments)
    # Played back as 16-bit WAV of what the model heard (st.audio would rescale a float array to full volume).
    playback = audio.encode_audio(decoded.samples, "wav")
    return {"result": result, "reference": reference, "picture": picture, "playback": playback}


def show_comparison(result: asr.AsrResult, reference: asr.AsrResult) -> None:
    st.subheader(ui.tr("asr.compare_title"))
    for item in (result, reference):
        st.markdown(ui.tr("asr.compare_row", engine=f"{ui.model_title(item.model)}", ms=item.latency_ms, rtf=item.real_time_factor or 0.0))
    ratio = reference.latency_ms / max(result.latency_ms, 1e-6)
    st.success(ui.tr("asr.compare_speedup" if ratio > 1.05 else "asr.compare_slower", ratio=ratio), icon=":material/speed:")
    difference = asr.word_error_rate(reference.text, result.text) if reference.text else 0.0
    if difference == 0.0:
        st.caption(ui.tr("asr.compare_same_text"))
    else:
        st.caption(ui.tr("asr.compare_diff_text", wer=difference, text=reference.text))


def show_result(last: dict, kind: str, name: str) -> None:
    result: asr.AsrResult = last["result"]
    ui.show_notices(result.notices)
    st.caption(ui.tr("asr.input_name", name=name, seconds=result.duration_s))
    st.subheader(ui.tr("asr.transcript"))
    st.code(result.text or ui.tr("asr.empty_transcript"), language=None, wrap_lines=True)

    if result.language_probability is not None:
        language_label = ui.tr("asr.metric.language_detected", probability=result.language_probability)
    else:
        language_label = ui.tr("asr.metric.language_set")
    columns = st.columns(4)
    columns[0].metric(language_label, language_name(result.language) if result.language else "—")
    columns[1].metric(ui.tr("asr.metric.duration"), f"{result.duration_s:.1f} s")
    columns[2].metric(ui.tr("asr.metric.latency"), f"{result.latency_ms / 1000:.2f} s")
    columns[3].metric(ui.tr("asr.metric.rtf"), f"{result.real_time_factor or 0.0:.2f}", help=ui.tr("asr.rtf_help"))
    ui.show_latency(result.latency_ms, extra=f" · {result.engine}" if result.engine else "")

    if kind == "sample":
        clip = asr.sample(name)
        st.caption(ui.tr("asr.sample_source", source=clip.source, licence=clip.licence))
        st.caption(ui.tr("asr.known_transcript", text=clip.transcript))
        st.markdown(ui.tr("asr.wer", wer=asr.word_error_rate(clip.transcript, result.text)))

    start = 0.0
    if result.segments:
        uncertain = sum(segment.uncertain for segment in result.segments)
        if uncertain:
            st.warning(ui.tr("asr.uncertain_rows", n=uncertain), icon=":material/help:")
        st.caption(ui.tr("asr.segments"))
        frame = pd.DataFrame(
            {
                ui.tr("asr.col.start"): [segment.start for segment in result.segments],
                ui.tr("asr.col.end"): [segment.end for segment in result.segments],
                ui.tr("asr.col.text"): [segment.text for segment in result.segments],
                ui.tr("asr.col.sure"): [not segment.uncertain for segment in result.segments],
            }
        )
        selection = st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key=f"asr_segments_{hashlib.sha1(result.text.encode()).hexdigest()[:8]}",
            column_config={ui.tr("asr.col.start"): st.column_config.NumberColumn(format="%.1f"), ui.tr("asr.col.end"): st.column_config.NumberColumn(format="%.1f")},
        )
        rows = selection.selection.rows if selection is not None else []
        if rows:
            start = float(result.segments[rows[0]].start)
            st.caption(ui.tr("asr.play_from", start=start))
    st.audio(last["playback"], format="audio/wav", start_time=int(start))
    st.image(last["picture"], caption=ui.tr("asr.picture"), width="stretch")

    if last["reference"] is not None:
        show_comparison(result, last["reference"])
    if result.language == "fr" or lang == "fr":
        st.caption(ui.tr("asr.french_note"))


TTS_KEY = "tts_last"  # the last synthesis: (text, language, speed) -> result, so reruns do not redo it


@st.fragment
def read_aloud() -> None:
    """The Read aloud tab: text, language, speed → audio player, WAV download, round trip."""
    st.markdown(ui.tr("tts.intro"))
    left, right = st.columns(2)
    speak_language = left.segmented_control(ui.tr("tts.language"), options=list(tts.LANGUAGES), format_func=language_name, default=lang, key="tts_language") or lang
    speed = right.slider(ui.tr("tts.speed"), tts.MIN_SPEED, tts.MAX_SPEED, 1.0, 0.25, key="tts_speed", help=ui.tr("tts.speed_help"))
    voice = load_registry().model_with_role("tts", f"voice-{speak_language}")
    st.caption(ui.tr("tts.voice", voice=voice.title_in(lang)) + " · " + ui.tr("common.licence_line", licence=voice.licence_in(lang)))
    text = st.text_area(ui.tr("tts.text"), value=ui.tr(f"tts.default_text.{speak_language}"), max_chars=None, key=f"tts_text_{speak_language}", help=ui.tr("tts.text_help", limit=tts.MAX_CHARS))
    if st.button(ui.tr("tts.speak"), icon=":material/volume_up:", key="tts_speak", type="primary"):
        with ui.guard(), st.spinner(ui.tr("common.loading_model")):
            st.session_state[TTS_KEY] = {"key": (text, speak_language, speed), "result": tts.run(text, speak_language, speed=speed, cache=ui.model_cache(), on_queue=ui.queue_notice()), "trip": None}
    last = st.session_state.get(TTS_KEY)
    if not last:
        return
    spoken: tts.TtsResult = last["result"]
    ui.show_notices(spoken.notices)
    st.audio(spoken.wav, format="audio/wav")
    st.caption(ui.tr("tts.result", seconds=spoken.duration_s, rate=spoken.sample_rate, ms=spoken.latency_ms, rtf=spoken.real_time_factor or 0.0, voice=ui.model_title(spoken.model)))
    if spoken.language == "fr":
        st.info(ui.tr("tts.robotic"), icon=":material/smart_toy:")
    st.download_button(ui.tr("tts.download"), data=spoken.wav, file_name="speech.wav", mime="audio/wav", icon=":material/download:", key="tts_download")
    if st.button(ui.tr("tts.round_trip"), icon=":material/sync:", key="tts_round_trip", help=ui.tr("tts.round_trip_help")):
        with ui.guard(), st.spinner(ui.tr("common.loading_model")):
            last["trip"] = roundtrip.round_trip(last["key"][0], spoken.language, spoken=spoken, asr_model=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice())
    trip = last.get("trip")
    if trip is not None:
        st.success(ui.tr("tts.round_trip_result", text=trip.transcript, wer=trip.wer, model=ui.model_title(trip.asr.model), ms=trip.asr.latency_ms), icon=":material/sync:")
    with st.expander(ui.tr("common.how_it_works"), icon=":material/school:"):
        st.markdown(ui.tr("tts.how"))


lang = ui.setup_page("asr")
model_id = ui.model_selector("asr")

# ------------------------------------------------------------------ inputs
st.caption(ui.tr("common.samples"))
clips = asr.samples()
chosen = ui.sample_buttons([(ui.tr(f"asr.sample.{clip.id}"), clip) for clip in clips], key="asr_sample")
if chosen is not None:
    remember_input("sample", chosen.id, chosen.file.read_bytes())

st.caption(ui.tr("common.your_input"))
mic_tab, upload_tab, speak_tab = st.tabs([ui.tr("asr.tab_mic"), ui.tr("asr.tab_upload"), ui.tr("tts.tab")])
with mic_tab:
    recording = st.audio_input(ui.tr("asr.record"), key="asr_mic", help=ui.tr("asr.record_help"))
    if ui.is_new_upload(recording, "asr_mic_seen"):
        with ui.guard():
            remember_input("mic", "recording.wav", ui.uploaded_bytes(recording, audio.MAX_WAV_BYTES))
with speak_tab:
    read_aloud()
with upload_tab:
    uploaded = st.file_uploader(
        ui.tr("asr.upload"),
        type=list(audio.ACCEPTED_EXTENSIONS),
        key="asr_upload",
        help=ui.tr("asr.upload_help", minutes=int(audio.MAX_DURATION_S // 60)),
        max_upload_size=audio.MAX_WAV_BYTES // (1024 * 1024),
    )
    if ui.is_new_upload(uploaded, "asr_upload_seen"):
        with ui.guard():
            remember_input("upload", uploaded.name, ui.uploaded_bytes(uploaded, audio.upload_limit(uploaded.name)))

# ---------------------------------------------------------------- controls
left, right = st.columns(2)
language = left.segmented_control(
    ui.tr("asr.language"), options=list(asr.LANGUAGE_CHOICES), format_func=language_name, default="auto", key="asr_language"
) or "auto"
compare = right.toggle(ui.tr("asr.compare"), key="asr_compare", help=ui.tr("asr.compare_help"), disabled=model_id not in COMPARABLE)
compare = compare and model_id in COMPARABLE
beam = int(st.session_state.get("asr_beam", 1))  # the controls live in "How it works", below
vad = bool(st.session_state.get("asr_vad", False))

# ------------------------------------------------------------------ result
current = st.session_state.get(INPUT_KEY)
if current is None:
    st.info(ui.tr("asr.pick_input"), icon=":material/mic:")
else:
    kind, name, data, digest = current
    run_key = (digest, model_id, language, beam, vad, compare, lang)
    with ui.guard():
        last = st.session_state.get(RESULT_KEY)
        if last is None or last["key"] != run_key:
            st.session_state.pop(RESULT_KEY, None)
            last = transcribe(data, model_id, language, beam, vad, compare)
            last["key"] = run_key
            st.session_state[RESULT_KEY] = last
        show_result(last, kind, name)

with st.expander(ui.tr("common.how_it_works"), icon=":material/school:"):
    st.markdown(ui.tr("asr.how"))
    st.slider(ui.tr("asr.beam"), 1, 5, 1, key="asr_beam", help=ui.tr("asr.beam_help"))
    st.toggle(ui.tr("asr.vad"), key="asr_vad", help=ui.tr("asr.vad_help"))
