"""Strings of the sentiment analysis page."""

STRINGS = {
    "sentiment.title": ("Sentiment analysis", "Analyse de sentiment"),
    "sentiment.tagline": (
        "Type a sentence in English or French: a neural network reads it and says whether it sounds **positive**, **negative** or **neutral** — next to a classic rule-based method, so you can see what learning adds.",
        "Tapez une phrase en anglais ou en français : un réseau de neurones la lit et dit si elle semble **positive**, **négative** ou **neutre** — à côté d'une méthode classique à base de règles, pour voir ce que l'apprentissage apporte.",
    ),
    "sentiment.tab_single": ("One text", "Un texte"),
    "sentiment.tab_batch": ("Many texts", "Plusieurs textes"),
    "sentiment.text_label": ("Your text", "Votre texte"),
    "sentiment.text_placeholder": ("Write a review, a tweet, a message…", "Écrivez un avis, un tweet, un message…"),
    "sentiment.analyse": ("Analyse", "Analyser"),
    "sentiment.compare_baseline": ("Compare with the rule-based baseline (VADER)", "Comparer avec la référence à base de règles (VADER)"),
    "sentiment.label.positive": ("positive", "positif"),
    "sentiment.label.negative": ("negative", "négatif"),
    "sentiment.label.neutral": ("neutral", "neutre"),
    "sentiment.verdict": ("Verdict: **{label}** ({score:.0%} sure)", "Verdict : **{label}** (sûr à {score:.0%})"),
    "sentiment.probabilities": ("Probability of each label", "Probabilité de chaque étiquette"),
    "sentiment.baseline_title": ("Rule-based baseline: VADER", "Référence à base de règles : VADER"),
    "sentiment.baseline_english_only": (
        "VADER only knows English words: on French text it mostly answers “neutral”. The neural model understands both.",
        "VADER ne connaît que des mots anglais : sur un texte français il répond surtout « neutre ». Le modèle neuronal comprend les deux.",
    ),
    "sentiment.agree": ("Both methods agree.", "Les deux méthodes sont d'accord."),
    "sentiment.disagree": ("The two methods disagree: look at the words that might mislead a word list (negation, irony, French).", "Les deux méthodes divergent : cherchez les mots qui peuvent tromper une liste de mots (négation, ironie, français)."),
    "sentiment.sample.en_pos": ("🇬🇧 Delighted", "🇬🇧 Ravi"),
    "sentiment.sample.en_neg": ("🇬🇧 Angry", "🇬🇧 En colère"),
    "sentiment.sample.en_neg_tricky": ("🇬🇧 Negation", "🇬🇧 Négation"),
    "sentiment.sample.fr_pos": ("🇫🇷 Enthousiaste", "🇫🇷 Enthousiaste"),
    "sentiment.sample.fr_neg": ("🇫🇷 Déçu", "🇫🇷 Déçu"),
    "sentiment.sample.fr_neu": ("🇫🇷 Neutre", "🇫🇷 Neutre"),
    "sentiment.batch_help": (
        "Paste one text per line, or upload a .txt (one per line) or a .csv with a column named “text”. Up to {limit:,} lines are analysed.",
        "Collez un texte par ligne, ou téléversez un .txt (un par ligne) ou un .csv avec une colonne nommée « text ». Jusqu'à {limit:,} lignes sont analysées.",
    ),
    "sentiment.batch_text": ("Texts, one per line", "Textes, un par ligne"),
    "sentiment.batch_upload": ("…or upload a .txt / .csv", "…ou téléversez un .txt / .csv"),
    "sentiment.batch_run": ("Analyse all", "Tout analyser"),
    "sentiment.batch_summary": ("{n:,} texts analysed in {seconds:.1f} s", "{n:,} textes analysés en {seconds:.1f} s"),
    "sentiment.batch_counts": ("How many of each label", "Combien de chaque étiquette"),
    "sentiment.batch_download": ("Download the results (CSV)", "Télécharger les résultats (CSV)"),
    "sentiment.col.text": ("text", "texte"),
    "sentiment.col.label": ("label", "étiquette"),
    "sentiment.col.confidence": ("confidence", "confiance"),
    "sentiment.progress": ("Analysing… {done:.0%}", "Analyse… {done:.0%}"),
    "error.empty_batch": ("There are no non-empty lines to analyse.", "Il n'y a aucune ligne non vide à analyser."),
    "error.no_text_column": (
        "No text column found in this CSV (columns: {columns}). Name the column holding the texts “text”.",
        "Aucune colonne de texte trouvée dans ce CSV (colonnes : {columns}). Nommez « text » la colonne qui contient les textes.",
    ),
    "notice.batch_truncated": (
        "Only the first {limit:,} of {lines:,} lines were analysed.",
        "Seules les {limit:,} premières lignes sur {lines:,} ont été analysées.",
    ),
    "sentiment.how": (
        "**1. Turn text into numbers.** A transformer encoder (a neural network pre-trained on huge amounts of text) reads the sentence and summarises its meaning as a vector of 384 numbers — an *embedding*. Sentences with similar meaning get nearby vectors, whatever their exact words.\n\n"
        "**2. A small classifier on top.** We trained a logistic regression (one layer of weights followed by a softmax) on about 8,000 labelled English tweets to map embeddings to *negative / neutral / positive*. Training takes minutes on a CPU because the big encoder stays frozen: this is **transfer learning**.\n\n"
        "**3. French for free.** The default encoder is *multilingual*: it was trained so that a French sentence and its English translation land close together. The classifier therefore works on French although it never saw a French example (*zero-shot cross-lingual transfer*). The MiniLM alternative is English-only: try a French sample with it and watch it fail.\n\n"
        "**Rule-based baseline.** VADER adds up the scores of words from a hand-made English lexicon, with rules for negation (“not good”), intensifiers (“very”) and punctuation. It is fast and transparent but misses context, irony and other languages — the gap the neural model closes.\n\n"
        "**Limits.** The probabilities are the model's confidence, not a guarantee; tweets about a few topics are a narrow training set, and sarcasm still fools it. The measured accuracy is in the model card.",
        "**1. Transformer le texte en nombres.** Un encodeur transformer (un réseau de neurones pré-entraîné sur d'énormes quantités de texte) lit la phrase et résume son sens en un vecteur de 384 nombres — un *embedding*. Des phrases de sens proche obtiennent des vecteurs voisins, quels que soient leurs mots exacts.\n\n"
        "**2. Un petit classifieur par-dessus.** Nous avons entraîné une régression logistique (une couche de poids suivie d'un softmax) sur environ 8 000 tweets anglais étiquetés pour passer des embeddings à *négatif / neutre / positif*. L'entraînement prend quelques minutes sur CPU car le gros encodeur reste figé : c'est l'**apprentissage par transfert**.\n\n"
        "**3. Le français sans effort.** L'encodeur par défaut est *multilingue* : il a appris à placer une phrase française et sa traduction anglaise au même endroit. Le classifieur fonctionne donc en français sans avoir vu un seul exemple français (*transfert interlingue zéro-shot*). L'alternative MiniLM ne connaît que l'anglais : essayez-la sur un exemple français et regardez-la échouer.\n\n"
        "**Référence à base de règles.** VADER additionne les scores des mots d'un lexique anglais fait main, avec des règles pour la négation (« not good »), les intensificateurs (« very ») et la ponctuation. Rapide et transparent, il ignore le contexte, l'ironie et les autres langues — l'écart que comble le modèle neuronal.\n\n"
        "**Limites.** Les probabilités sont la confiance du modèle, pas une garantie ; des tweets sur quelques sujets forment un corpus d'entraînement étroit, et le sarcasme le trompe encore. La précision mesurée est dans la fiche du modèle.",
    ),
}
