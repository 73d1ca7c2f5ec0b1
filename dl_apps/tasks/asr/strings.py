"""Strings of the speech recognition page."""

STRINGS = {
    "asr.title": ("Speech recognition", "Reconnaissance vocale"),
    "asr.tagline": (
        "Record yourself, upload a file or pick a clip: **Whisper**, OpenAI's speech model, writes down what is said, with timestamps and the language — entirely on this server, no internet.",
        "Enregistrez-vous, téléversez un fichier ou choisissez un extrait : **Whisper**, le modèle de parole d'OpenAI, écrit ce qui est dit, avec l'horodatage et la langue — entièrement sur ce serveur, sans internet.",
    ),
    "asr.sample.en_librivox_0880": ("🇬🇧 Read aloud 1", "🇬🇧 Lecture 1"),
    "asr.sample.en_librivox_0930": ("🇬🇧 Read aloud 2", "🇬🇧 Lecture 2"),
    "asr.sample.en_librivox_0870": ("🇬🇧 Read aloud 3 (7 s)", "🇬🇧 Lecture 3 (7 s)"),
    "asr.sample.en_espeak": ("🇬🇧 Synthetic voice", "🇬🇧 Voix de synthèse"),
    "asr.sample.fr_espeak": ("🇫🇷 Voix de synthèse", "🇫🇷 Voix de synthèse"),
    "asr.tab_mic": ("Microphone", "Micro"),
    "asr.tab_upload": ("Upload a file", "Téléverser un fichier"),
    "asr.record": ("Record (click, speak, click again)", "Enregistrer (cliquez, parlez, recliquez)"),
    "asr.record_help": (
        "Your browser asks for the microphone. The recording stays on this server for this session only.",
        "Votre navigateur demande l'accès au micro. L'enregistrement reste sur ce serveur, pour cette session seulement.",
    ),
    "asr.upload": ("Audio file", "Fichier audio"),
    "asr.upload_help": (
        "wav, mp3, ogg/opus, flac, m4a or webm, up to {minutes} minutes. Decoded in memory, never stored.",
        "wav, mp3, ogg/opus, flac, m4a ou webm, jusqu'à {minutes} minutes. Décodé en mémoire, jamais stocké.",
    ),
    "asr.language": ("Spoken language", "Langue parlée"),
    "asr.lang.auto": ("Detect", "Détecter"),
    "asr.lang.en": ("English", "Anglais"),
    "asr.lang.fr": ("French", "Français"),
    "asr.compare": ("Compare with openai-whisper (same weights)", "Comparer avec openai-whisper (mêmes poids)"),
    "asr.compare_help": (
        "Runs the same clip through OpenAI's PyTorch implementation with the same tiny.en weights, to measure what the optimised engine gains. Available with the tiny.en faster-whisper models.",
        "Passe le même extrait dans l'implémentation PyTorch d'OpenAI avec les mêmes poids tiny.en, pour mesurer ce que gagne le moteur optimisé. Disponible avec les modèles tiny.en faster-whisper.",
    ),
    "asr.pick_input": ("Pick a sample, record yourself or upload a file to start.", "Choisissez un exemple, enregistrez-vous ou téléversez un fichier pour commencer."),
    "asr.input_name": ("Input: {name} ({seconds:.1f} s)", "Entrée : {name} ({seconds:.1f} s)"),
    "asr.progress": ("Transcribing… {percent:.0%} of the audio", "Transcription… {percent:.0%} de l'audio"),
    "asr.partial": ("So far:", "Pour l'instant :"),
    "asr.transcript": ("Transcript", "Transcription"),
    "asr.empty_transcript": ("(nothing recognised)", "(rien de reconnu)"),
    "asr.metric.duration": ("Audio length", "Durée de l'audio"),
    "asr.metric.latency": ("Time to transcribe", "Temps de transcription"),
    "asr.metric.rtf": ("Real-time factor", "Facteur temps réel"),
    "asr.rtf_help": (
        "Transcription time ÷ audio length. Below 1 the model is faster than real time.",
        "Temps de transcription ÷ durée de l'audio. En dessous de 1, le modèle va plus vite que le temps réel.",
    ),
    "asr.metric.language_detected": ("Language detected ({probability:.0%} sure)", "Langue détectée (sûr à {probability:.0%})"),
    "asr.metric.language_set": ("Language (set, not detected)", "Langue (fixée, non détectée)"),
    "asr.sample_source": ("Sample: {source}. Licence: {licence}.", "Exemple : {source}. Licence : {licence}."),
    "asr.segments": ("Segments — select a row to play from there", "Segments — sélectionnez une ligne pour écouter à partir de là"),
    "asr.col.start": ("start (s)", "début (s)"),
    "asr.col.end": ("end (s)", "fin (s)"),
    "asr.col.text": ("text", "texte"),
    "asr.col.sure": ("model sure?", "modèle sûr ?"),
    "asr.uncertain_rows": (
        "{n} segment(s) are marked as unsure: the model itself thinks there may be no speech there, or hesitated a lot. Treat them as guesses.",
        "{n} segment(s) sont marqués incertains : le modèle lui-même pense qu'il n'y a peut-être pas de parole, ou a beaucoup hésité. Prenez-les comme des suppositions.",
    ),
    "asr.play_from": ("Playing from {start:.1f} s", "Lecture à partir de {start:.1f} s"),
    "asr.picture": (
        "Top: the waveform. Bottom: the log-mel spectrogram the model reads (time → right, pitch bands ↑, brighter = louder). Shaded: the recognised segments.",
        "En haut : la forme d'onde. En bas : le spectrogramme log-mel que lit le modèle (temps → droite, bandes de fréquence ↑, plus clair = plus fort). En couleur : les segments reconnus.",
    ),
    "asr.known_transcript": ("Known transcript of this sample: “{text}”", "Transcription connue de cet exemple : « {text} »"),
    "asr.wer": (
        "Word error rate against it: **{wer:.0%}** (words substituted, missed or added ÷ words said; punctuation and case ignored).",
        "Taux d'erreur sur les mots : **{wer:.0%}** (mots remplacés, oubliés ou ajoutés ÷ mots prononcés ; ponctuation et casse ignorées).",
    ),
    "asr.compare_title": ("Same weights, two engines", "Mêmes poids, deux moteurs"),
    "asr.compare_row": ("**{engine}**: {ms:,.0f} ms (real-time factor {rtf:.2f})", "**{engine}** : {ms:,.0f} ms (facteur temps réel {rtf:.2f})"),
    "asr.compare_speedup": (
        "The optimised engine was **{ratio:.1f}× faster** on this clip.",
        "Le moteur optimisé a été **{ratio:.1f}× plus rapide** sur cet extrait.",
    ),
    "asr.compare_slower": (
        "On this clip the optimised engine was not faster ({ratio:.2f}×): on very short clips or a busy server, fixed costs dominate.",
        "Sur cet extrait le moteur optimisé n'a pas été plus rapide ({ratio:.2f}×) : sur des extraits très courts ou un serveur chargé, les coûts fixes dominent.",
    ),
    "asr.compare_same_text": ("Both engines wrote the same words.", "Les deux moteurs ont écrit les mêmes mots."),
    "asr.compare_diff_text": (
        "The transcripts differ by {wer:.0%} of the words (int8 rounding can change a close call). Reference engine: “{text}”",
        "Les transcriptions diffèrent de {wer:.0%} des mots (l'arrondi int8 peut faire basculer un choix serré). Moteur de référence : « {text} »",
    ),
    "asr.beam": ("Beam size", "Taille du faisceau (beam)"),
    "asr.beam_help": (
        "1 = greedy decoding (take the most likely token each step). Larger beams keep several candidate sentences: sometimes more accurate, always slower.",
        "1 = décodage glouton (le jeton le plus probable à chaque pas). Un faisceau plus large garde plusieurs phrases candidates : parfois plus juste, toujours plus lent.",
    ),
    "asr.vad": ("Skip silences first (voice activity detection)", "Sauter d'abord les silences (détection d'activité vocale)"),
    "asr.vad_help": (
        "A tiny Silero VAD network cuts out the parts without speech before Whisper reads the audio (faster-whisper engines): faster on long recordings, fewer invented words in silences.",
        "Un petit réseau Silero VAD retire les passages sans parole avant que Whisper ne lise l'audio (moteurs faster-whisper) : plus rapide sur les longs enregistrements, moins de mots inventés dans les silences.",
    ),
    "asr.how": (
        "1. **Sound → picture.** The audio is resampled to 16 kHz and cut into 25 ms windows every 10 ms; each window becomes 80 numbers, the energy in 80 *mel* frequency bands (spaced like human hearing), on a log scale. That is the **log-mel spectrogram** shown above: 100 columns per second.\n"
        "2. **Encoder.** Two convolutions and a stack of transformer layers read up to 30 s of spectrogram at once and turn it into a sequence of vectors that describe the sounds in context.\n"
        "3. **Decoder.** Another transformer writes the text one token (a word piece) at a time, each step looking at the encoder's vectors (cross-attention) and at the text so far. Special tokens say the language, the task and the **timestamps** that cut the text into segments. Longer audio is read in 30-second windows.\n"
        "4. **Why int8 is faster.** The *same* weights can be stored as 8-bit integers instead of 32-bit floats: 4× less memory to move, and CPUs multiply integers faster. CTranslate2 (faster-whisper) also fuses operations and reuses the decoder's past computations. Tick *compare* to measure it on your clip; the model card has the numbers on all samples.\n"
        "5. **Hallucinations.** Trained to always write something, Whisper can invent text on silence or noise. The page refuses near-silent audio and marks segments where the model's own *no-speech* probability is high or its confidence low.\n\n"
        "Try the settings below: a wider beam, or voice-activity detection.",
        "1. **Du son à l'image.** L'audio est rééchantillonné à 16 kHz et découpé en fenêtres de 25 ms toutes les 10 ms ; chaque fenêtre devient 80 nombres, l'énergie dans 80 bandes de fréquence *mel* (espacées comme l'oreille humaine), en échelle logarithmique. C'est le **spectrogramme log-mel** affiché plus haut : 100 colonnes par seconde.\n"
        "2. **Encodeur.** Deux convolutions et une pile de couches transformer lisent jusqu'à 30 s de spectrogramme d'un coup et en font une suite de vecteurs qui décrivent les sons dans leur contexte.\n"
        "3. **Décodeur.** Un autre transformer écrit le texte un jeton (un morceau de mot) à la fois, en regardant à chaque pas les vecteurs de l'encodeur (attention croisée) et le texte déjà écrit. Des jetons spéciaux indiquent la langue, la tâche et les **horodatages** qui découpent le texte en segments. Un audio plus long est lu par fenêtres de 30 secondes.\n"
        "4. **Pourquoi int8 va plus vite.** Les *mêmes* poids peuvent être stockés en entiers sur 8 bits au lieu de flottants sur 32 bits : 4× moins de mémoire à déplacer, et les processeurs multiplient plus vite les entiers. CTranslate2 (faster-whisper) fusionne aussi des opérations et réutilise les calculs passés du décodeur. Cochez *comparer* pour le mesurer sur votre extrait ; la fiche du modèle donne les chiffres sur tous les exemples.\n"
        "5. **Hallucinations.** Entraîné à toujours écrire quelque chose, Whisper peut inventer du texte sur du silence ou du bruit. La page refuse l'audio quasi silencieux et marque les segments où la probabilité d'*absence de parole* du modèle est élevée ou sa confiance faible.\n\n"
        "Essayez les réglages ci-dessous : un faisceau plus large, ou la détection d'activité vocale.",
    ),
    "asr.french_note": (
        "French: English-only models hand French to **Whisper base** (multilingual, 74 M parameters), picked automatically. It transcribes clear recorded French well (about 11 % word error rate on the 18 recorded telephone prompts of the model card) but struggles with robotic synthetic voices, accents, noise and rare words, and can miss punctuation. With internet, **Whisper small (hub)** in the model list is the upgrade: about 3× bigger and markedly better in French, but slower on this server.",
        "Français : les modèles anglais seulement confient le français à **Whisper base** (multilingue, 74 M de paramètres), choisi automatiquement. Il transcrit bien un français enregistré clairement (environ 11 % d'erreurs sur les mots pour les 18 messages téléphoniques enregistrés de la fiche du modèle) mais peine sur les voix de synthèse robotiques, les accents, le bruit et les mots rares, et oublie parfois la ponctuation. Avec internet, **Whisper small (hub)** dans la liste des modèles est l'étape suivante : environ 3× plus gros et nettement meilleur en français, mais plus lent sur ce serveur.",
    ),
    # ------------------------------------------------------------------ errors
    "error.asr_not_audio": (
        "This file is not audio that can be read. Accepted: wav, mp3, ogg/opus, flac, m4a, webm.",
        "Ce fichier n'est pas un audio lisible. Formats acceptés : wav, mp3, ogg/opus, flac, m4a, webm.",
    ),
    "error.asr_no_audio": ("No sound could be decoded from this file.", "Aucun son n'a pu être décodé dans ce fichier."),
    "error.asr_too_long": (
        "The audio is too long ({minutes} min). The limit is {limit_minutes} minutes: cut it into shorter parts.",
        "L'audio est trop long ({minutes} min). La limite est de {limit_minutes} minutes : coupez-le en parties plus courtes.",
    ),
    "error.asr_too_short": ("The audio is too short to hold speech.", "L'audio est trop court pour contenir de la parole."),
    "error.asr_bad_language": ("Unknown language: choose English, French or detect.", "Langue inconnue : choisissez anglais, français ou détecter."),
    "error.asr_no_audio_given": ("Please record, upload or pick an audio clip.", "Enregistrez, téléversez ou choisissez un extrait audio."),
    "error.asr_file_not_found": ("No such file: {path}", "Fichier introuvable : {path}"),
    "error.asr_bad_beam_size": ("The beam size must be between 1 and 10.", "La taille du faisceau doit être entre 1 et 10."),
    "error.asr_unknown_sample": ("Unknown sample: {sample}", "Exemple inconnu : {sample}"),
    # ----------------------------------------------------------------- notices
    "notice.asr_silence": (
        "This recording is silent (or almost): there is nothing to transcribe. Check your microphone and speak closer.",
        "Cet enregistrement est silencieux (ou presque) : il n'y a rien à transcrire. Vérifiez votre micro et parlez plus près.",
    ),
    "notice.asr_uncertain": (
        "The model is not sure there is speech here: the text below is a guess, not a transcript.",
        "Le modèle n'est pas sûr qu'il y ait de la parole ici : le texte ci-dessous est une supposition, pas une transcription.",
    ),
    "notice.asr_routed_language": (
        "The chosen model only understands English, so **{title}** transcribed this audio in the language you chose.",
        "Le modèle choisi ne comprend que l'anglais : c'est donc **{title_fr}** qui a transcrit cet audio dans la langue choisie.",
    ),
    "notice.asr_routed_auto": (
        "The chosen model only understands English: with the French interface, **{title}** listened first and identified the language itself.",
        "Le modèle choisi ne comprend que l'anglais : avec l'interface en français, c'est **{title_fr}** qui a écouté et identifié la langue lui-même.",
    ),
    "notice.asr_routed_detected": (
        "Language detection heard **{language}** ({probability:.0%} sure), which the chosen English-only model cannot transcribe: **{title}** did it instead.",
        "La détection de langue a entendu **{language}** (sûre à {probability:.0%}), que le modèle choisi, anglais seulement, ne sait pas transcrire : c'est **{title_fr}** qui l'a fait.",
    ),
    "notice.asr_no_speech": ("No speech was recognised in this recording.", "Aucune parole n'a été reconnue dans cet enregistrement."),
    "notice.asr_resampled": (
        "Converted from {rate} Hz, {channels} channel(s) to 16 kHz mono (what Whisper reads). Below 16 kHz (e.g. telephone audio) recognition may be worse.",
        "Converti de {rate} Hz, {channels} canal(aux) en 16 kHz mono (ce que lit Whisper). En dessous de 16 kHz (audio téléphonique par ex.), la reconnaissance peut être moins bonne.",
    ),
    "notice.asr_partly_decoded": (
        "The file seems damaged or cut off: only its readable part was transcribed.",
        "Le fichier semble abîmé ou tronqué : seule sa partie lisible a été transcrite.",
    ),
}
