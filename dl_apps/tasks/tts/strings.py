"""Strings of text-to-speech (the "Read aloud" tab of the speech page) and its errors."""

STRINGS = {
    "nav.tts": ("Read aloud (text-to-speech)", "Lecture à voix haute (synthèse vocale)"),
    "gallery.tts.blurb": (
        "Type a text and hear it spoken: a neural Piper voice in English, espeak-ng in French. On the speech page.",
        "Tapez un texte et écoutez-le : une voix neuronale Piper en anglais, espeak-ng en français. Sur la page de la parole.",
    ),
    "tts.title": ("Read aloud (text-to-speech)", "Lecture à voix haute (synthèse vocale)"),
    "tts.tagline": (
        "Type a text and hear it: Piper's neural voice in English, espeak-ng in French — on this server, no internet.",
        "Tapez un texte et écoutez-le : la voix neuronale de Piper en anglais, espeak-ng en français — sur ce serveur, sans internet.",
    ),
    "tts.tab": ("Read aloud", "Lecture à voix haute"),
    "tts.intro": (
        "Text → speech. English uses **Piper**, a small neural network (VITS) that turns phonemes into a waveform; French uses **espeak-ng**, a rule-based formant synthesiser: intelligible but **robotic** (no neural French voice is available as a package). Both programs run as separate processes on this server.",
        "Texte → parole. L'anglais utilise **Piper**, un petit réseau de neurones (VITS) qui transforme des phonèmes en onde sonore ; le français utilise **espeak-ng**, un synthétiseur par formants fondé sur des règles : compréhensible mais **robotique** (aucune voix neuronale française n'existe en paquet). Les deux programmes tournent comme des processus séparés sur ce serveur.",
    ),
    "tts.text": ("Text to read", "Texte à lire"),
    "tts.text_help": ("Up to {limit:,} characters; longer text is cut.", "Jusqu'à {limit:,} caractères ; un texte plus long est coupé."),
    "tts.default_text.en": (
        "Deep learning models can now read a text aloud with a natural voice, right on this small server.",
        "Deep learning models can now read a text aloud with a natural voice, right on this small server.",
    ),
    "tts.default_text.fr": (
        "Bonjour, je suis une voix de synthèse. Je parle lentement, mais sans internet.",
        "Bonjour, je suis une voix de synthèse. Je parle lentement, mais sans internet.",
    ),
    "tts.language": ("Language of the text", "Langue du texte"),
    "tts.voice": ("Voice: {voice}", "Voix : {voice}"),
    "tts.speed": ("Speed", "Vitesse"),
    "tts.speed_help": ("1 = the voice's natural pace; 2 = twice as fast.", "1 = le rythme naturel de la voix ; 2 = deux fois plus vite."),
    "tts.speak": ("Read aloud", "Lire à voix haute"),
    "tts.download": ("Download the WAV", "Télécharger le WAV"),
    "tts.result": (
        "{seconds:.1f} s of audio at {rate:,} Hz, made in {ms:,.0f} ms (real-time factor {rtf:.2f}) by {voice}.",
        "{seconds:.1f} s d'audio à {rate:,} Hz, produites en {ms:,.0f} ms (facteur temps réel {rtf:.2f}) par {voice}.",
    ),
    "tts.robotic": (
        "The French voice is espeak-ng: rules and filters, not a neural network, so it sounds robotic — but every word is pronounced by rule, which Whisper can still understand.",
        "La voix française est espeak-ng : des règles et des filtres, pas un réseau de neurones, d'où sa voix robotique — mais chaque mot est prononcé selon des règles, que Whisper comprend encore.",
    ),
    "tts.round_trip": ("Round trip: transcribe what was spoken", "Aller-retour : transcrire ce qui a été dit"),
    "tts.round_trip_help": (
        "Speech recognition (Whisper) listens to the synthesised audio; the word error rate against your text measures both systems at once.",
        "La reconnaissance vocale (Whisper) écoute l'audio synthétisé ; le taux d'erreur sur les mots par rapport à votre texte mesure les deux systèmes à la fois.",
    ),
    "tts.round_trip_result": (
        "Whisper heard: “{text}” — word error rate against your text **{wer:.0%}** ({model}, {ms:,.0f} ms).",
        "Whisper a entendu : « {text} » — taux d'erreur sur les mots par rapport à votre texte **{wer:.0%}** ({model}, {ms:,.0f} ms).",
    ),
    "tts.speak_transcript": ("Read the transcript aloud", "Lire la transcription à voix haute"),
    "tts.speak_transcript_help": (
        "Sends the transcript above to the Read aloud tab, in the language that was recognised.",
        "Envoie la transcription ci-dessus à l'onglet Lecture à voix haute, dans la langue reconnue.",
    ),
    "tts.how": (
        "**How a neural voice speaks.** 1. The text is turned into phonemes (espeak-ng's pronunciation rules, inside Piper). 2. A VITS network (encoder, duration predictor, flow and HiFi-GAN-style decoder) predicts how long each phoneme lasts and generates the waveform directly, 22,050 samples per second. *Speed* scales the predicted durations. espeak-ng instead builds each sound from formants (resonances of the vocal tract) by hand-written rules: tiny and predictable, but robotic.\n\n"
        "**Licences.** Piper and espeak-ng are GPL-3.0 programs. The hub runs them as separate programs and never links them into its own code, which keeps its licence; the audio they produce is not covered by the GPL. The English voice's training data is CC0.",
        "**Comment parle une voix neuronale.** 1. Le texte est transformé en phonèmes (les règles de prononciation d'espeak-ng, dans Piper). 2. Un réseau VITS (encodeur, prédicteur de durées, flux et décodeur de type HiFi-GAN) prédit la durée de chaque phonème et génère directement l'onde sonore, 22 050 échantillons par seconde. La *vitesse* met à l'échelle les durées prédites. espeak-ng construit au contraire chaque son à partir de formants (les résonances du conduit vocal) par des règles écrites à la main : minuscule et prévisible, mais robotique.\n\n"
        "**Licences.** Piper et espeak-ng sont des programmes sous GPL-3.0. Le hub les lance comme des programmes séparés et ne les lie jamais à son propre code, qui garde sa licence ; l'audio qu'ils produisent n'est pas couvert par la GPL. Les données d'entraînement de la voix anglaise sont sous CC0.",
    ),
    # ------------------------------------------------------------------ errors
    "error.tts_bad_language": (
        "Unsupported language “{language}”: the voices speak English (en) or French (fr).",
        "Langue non prise en charge « {language} » : les voix parlent anglais (en) ou français (fr).",
    ),
    "error.tts_voice_language": ("The voice {voice} does not speak “{language}”.", "La voix {voice} ne parle pas « {language} »."),
    "error.tts_bad_speed": ("The speed must be between {low} and {high}.", "La vitesse doit être comprise entre {low} et {high}."),
    "error.tts_output_is_folder": ("Cannot write the audio to “{path}”: give a file name, not a folder.", "Impossible d'écrire l'audio dans « {path} » : donnez un nom de fichier, pas un dossier."),
    "error.tts_output_no_folder": ("Cannot write the audio to “{path}”: the folder {folder} does not exist.", "Impossible d'écrire l'audio dans « {path} » : le dossier {folder} n'existe pas."),
    "error.tts_output_denied": ("Cannot write the audio to “{path}”: permission denied.", "Impossible d'écrire l'audio dans « {path} » : permission refusée."),
    "error.tts_no_output": ("Please give the WAV file to write with --out FILE.wav.", "Indiquez le fichier WAV à écrire avec --out FICHIER.wav."),
    "error.tts_engine_missing": (
        "The speech engine {engine} is not installed on this server (run scripts/setup.sh).",
        "Le moteur de synthèse {engine} n'est pas installé sur ce serveur (lancez scripts/setup.sh).",
    ),
    "error.tts_timeout": ("The synthesis took too long: try a shorter text.", "La synthèse a pris trop de temps : essayez un texte plus court."),
}
