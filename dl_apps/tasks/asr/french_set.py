"""The French evaluation set of the speech page: clips with known transcripts.

Three kinds, listed in ``assets/samples/asr/fr_eval/clips.json``:

* ``recorded``: real French speech, telephone prompts read by June Wallack (Canadian French,
  8 kHz) from Debian's ``asterisk-core-sounds-fr-wav`` 1.6.1 (CC-BY-SA-3.0), with the
  transcripts of its ``core-sounds-fr.txt`` (obvious spelling slips corrected);
* ``espeak``: sentences written for this project, spoken by espeak-ng directly with two voice
  variants and a slower rate (what the issue's failing examples were);
* ``hub-tts``: the same sentences spoken by the hub's own text-to-speech task (French voice).

``python -m dl_apps.tasks.asr.french_set`` rebuilds the folder (needs espeak-ng and the Debian
package, ``apt-get download asterisk-core-sounds-fr-wav``; pass ``--deb FILE``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dl_apps.registry import REPO_ROOT

FOLDER = REPO_ROOT / "assets" / "samples" / "asr" / "fr_eval"
INDEX = FOLDER / "clips.json"
ASTERISK_DIR = "usr/share/asterisk/sounds/fr_CA_f_June"

# Written for this project (CC0): everyday sentences a workshop might say, with the two.
SENTENCES: tuple[str, ...] = (
    "Je voudrais réserver une chambre pour deux nuits, s'il vous plaît.",
    "Il fait beau aujourd'hui et le soleil brille sur la ville.",
    "Le train pour Lyon part à huit heures du matin.",
    "Nous apprenons comment un réseau de neurones reconnaît la parole.",
    "Pouvez-vous répéter la question plus lentement ?",
    "La bibliothèque ferme ses portes à dix-huit heures.",
    "Mon ordinateur portable est beaucoup trop lent.",
    "Merci beaucoup pour votre aide et à demain.",
    "Les étudiants présentent leur projet devant le jury.",
    "Quelle heure est-il, s'il vous plaît ?",
)
ESPEAK_VOICES: tuple[tuple[str, int], ...] = (("fr+m3", 150), ("fr+f2", 135))

# (Asterisk prompt name, transcript): sentences of five words or more.
RECORDED: tuple[tuple[str, str], ...] = (
    ("agent-loggedoff", "Vous n'êtes plus en ligne."),
    ("agent-loginok", "Vous êtes maintenant en ligne."),
    ("agent-pass", "Composez votre mot de passe suivi du dièse."),
    ("all-circuits-busy-now", "Toutes les lignes sont occupées pour l'instant."),
    ("cannot-complete-as-dialed", "Votre appel ne peut être complété tel que composé."),
    ("check-number-dial-again", "Veuillez vérifier le numéro et composer de nouveau."),
    ("conf-extended", "La conférence a été prolongée."),
    ("conf-getpin", "Veuillez composer le code d'accès de la conférence."),
    ("conf-invalid", "Ce numéro de conférence n'est pas valide. Veuillez réessayer de nouveau."),
    ("conf-leaderhasleft", "Le responsable a quitté la conférence."),
    ("conf-noempty", "Aucune conférence n'est libre pour l'instant."),
    ("conf-onlyone", "Il n'y a qu'un seul participant dans cette conférence."),
    ("conf-placeintoconf", "Vous allez maintenant joindre la conférence."),
    ("confbridge-conf-end", "La conférence est maintenant terminée."),
    ("confbridge-removed", "Vous avez été retiré de cette conférence."),
    ("demo-echodone", "Le test d'écho est maintenant terminé."),
    ("demo-moreinfo", "Ce message n'a pas encore été écrit."),
    ("confbridge-invalid", "Vous avez entré une option invalide."),
)
RECORDED_SOURCE = "June Wallack's French prompts for Asterisk, Debian package asterisk-core-sounds-fr-wav 1.6.1-1 (fr_CA_f_June/{name}.wav), 8 kHz telephone audio"
RECORDED_LICENCE = "CC-BY-SA-3.0 (© 2006-2008 June Wallack; see Debian's /usr/share/doc/asterisk-core-sounds-fr/copyright)"


@dataclass(frozen=True)
class Clip:
    """One clip of the French set."""

    id: str
    file: Path
    transcript: str
    kind: str  # "recorded", "espeak" or "hub-tts"
    source: str
    licence: str


def clips(kinds: tuple[str, ...] | None = None) -> list[Clip]:
    """The clips of ``clips.json`` (all kinds, or only ``kinds``)."""
    entries = json.loads(INDEX.read_text(encoding="utf-8"))
    found = [Clip(**{**entry, "file": FOLDER / entry["file"]}) for entry in entries]
    return [clip for clip in found if kinds is None or clip.kind in kinds]


def _to_flac(wav: Path, target: Path, rate: int | None = None) -> None:
    """Write ``wav`` as mono 16-bit FLAC (resampled to ``rate`` if given) with PyAV."""
    import io

    import av
    import numpy as np

    with av.open(str(wav)) as container:
        stream = container.streams.audio[0]
        rate = rate or stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        chunks = [out.to_ndarray().reshape(-1) for frame in container.decode(stream) for out in resampler.resample(frame)]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="flac") as out:
        flac = out.add_stream("flac", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(np.concatenate(chunks).astype("<i2").reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in [*flac.encode(frame), *flac.encode(None)]:
            out.mux(packet)
    target.write_bytes(buffer.getvalue())


def build(deb: Path) -> list[dict[str, str]]:
    """Write every clip and ``clips.json`` into FOLDER; returns the index entries."""
    from dl_apps.tasks import tts

    FOLDER.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["dpkg-deb", "-x", str(deb), work], check=True)
        for name, transcript in RECORDED:
            file = f"rec_{name}.flac"
            _to_flac(Path(work) / ASTERISK_DIR / f"{name}.wav", FOLDER / file)
            entries.append({"id": f"rec_{name}", "file": file, "transcript": transcript, "kind": "recorded", "source": RECORDED_SOURCE.format(name=name), "licence": RECORDED_LICENCE})
        for index, sentence in enumerate(SENTENCES, start=1):
            voice, rate = ESPEAK_VOICES[index % len(ESPEAK_VOICES)]
            wav = Path(work) / f"espeak_{index}.wav"
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(wav), sentence], check=True)
            file = f"espeak_{index:02d}.flac"
            _to_flac(wav, FOLDER / file, rate=16000)
            entries.append({"id": f"espeak_{index:02d}", "file": file, "transcript": sentence, "kind": "espeak", "source": f"espeak-ng 1.51 -v {voice} -s {rate}, resampled to 16 kHz", "licence": "CC0-1.0 (text and rendering by this project)"})
            spoken = tts.run(sentence, "fr")
            wav = Path(work) / f"hub_{index}.wav"
            wav.write_bytes(spoken.wav)
            file = f"hub_{index:02d}.flac"
            _to_flac(wav, FOLDER / file, rate=16000)
            entries.append({"id": f"hub_{index:02d}", "file": file, "transcript": sentence, "kind": "hub-tts", "source": f"the hub's text-to-speech ({spoken.model}, speed 1), resampled to 16 kHz", "licence": "CC0-1.0 (text and rendering by this project)"})
    INDEX.write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return entries


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m dl_apps.tasks.asr.french_set --deb asterisk-core-sounds-fr-wav_1.6.1-1_all.deb``."""
    parser = argparse.ArgumentParser(description="rebuild assets/samples/asr/fr_eval")
    parser.add_argument("--deb", type=Path, required=True, help="the downloaded asterisk-core-sounds-fr-wav .deb")
    args = parser.parse_args(argv)
    entries = build(args.deb)
    print(f"{len(entries)} clips written to {FOLDER}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
