"""Strings of the question-answering page."""

STRINGS = {
    "qa.title": ("Question answering", "Questions-réponses"),
    "qa.tagline": (
        "Paste a passage (English or French), ask a question about it, and the model points at the answer **inside the passage**. "
        "Offline, a multilingual sentence encoder finds the best sentences, then a small language model (Gemma 3 270M) copies the answer out of them — it can only answer with words of the passage. How it works is explained below.",
        "Collez un texte (anglais ou français), posez une question, et le modèle montre la réponse **dans le texte**. "
        "Hors ligne, un encodeur de phrases multilingue trouve les meilleures phrases, puis un petit modèle de langue (Gemma 3 270M) y recopie la réponse — il ne peut répondre qu'avec des mots du texte. Le fonctionnement est expliqué plus bas.",
    ),
    "qa.samples": ("Try a sample passage", "Essayer un texte d'exemple"),
    "qa.sample_questions": ("Then click a question", "Puis cliquez sur une question"),
    "qa.context_label": ("Passage", "Texte"),
    "qa.context_placeholder": ("Paste a passage here (up to 20,000 characters)…", "Collez un texte ici (jusqu'à 20 000 caractères)…"),
    "qa.upload": ("…or upload a .txt file", "…ou téléversez un fichier .txt"),
    "qa.question_label": ("Your question", "Votre question"),
    "qa.question_placeholder": ("Who…? When…? How many…? Où… ? Combien… ?", "Qui… ? Quand… ? Combien… ? Who… ? When… ?"),
    "qa.ask": ("Answer", "Répondre"),
    "qa.answer": ("Answer: **{answer}**", "Réponse : **{answer}**"),
    "qa.score": ("Confidence", "Confiance"),
    "qa.unsure": (
        "The model is unsure (confidence {score:.0%}): the passage may not contain the answer, or the question is phrased far from the text. Check the highlighted span yourself.",
        "Le modèle n'est pas sûr (confiance {score:.0%}) : le texte ne contient peut-être pas la réponse, ou la question est formulée loin du texte. Vérifiez vous-même le passage surligné.",
    ),
    "qa.no_answer": ("The model found no answer in this passage.", "Le modèle n'a trouvé aucune réponse dans ce texte."),
    "qa.in_passage": ("The answer in the passage", "La réponse dans le texte"),
    "qa.legend": (
        "Highlighted: the answer. Underlined: the sentences the retrieval step kept.",
        "Surligné : la réponse. Souligné : les phrases retenues par l'étape de recherche.",
    ),
    "qa.full_passage": ("Show the whole passage", "Afficher tout le texte"),
    "qa.alternatives": ("Runner-up answers", "Autres réponses possibles"),
    "qa.col.answer": ("answer", "réponse"),
    "qa.col.score": ("score", "score"),
    "qa.col.kind": ("kind of span", "type de passage"),
    "qa.retrieval": ("Retrieval step: the sentences closest to the question", "Étape de recherche : les phrases les plus proches de la question"),
    "qa.col.rank": ("rank", "rang"),
    "qa.col.sentence": ("sentence", "phrase"),
    "qa.col.similarity": ("similarity", "similarité"),
    "qa.question_type": ("Question type detected: **{kind}**", "Type de question détecté : **{kind}**"),
    "qa.type.person": ("a person or organisation (who)", "une personne ou organisation (qui)"),
    "qa.type.date": ("a date (when)", "une date (quand)"),
    "qa.type.number": ("a number or quantity (how many, how tall)", "un nombre ou une quantité (combien, quelle hauteur)"),
    "qa.type.place": ("a place (where)", "un lieu (où)"),
    "qa.type.reason": ("a reason (why)", "une raison (pourquoi)"),
    "qa.type.other": ("something else (what, which)", "autre chose (que, quel)"),
    "qa.kind.date": ("date", "date"),
    "qa.kind.number": ("number", "nombre"),
    "qa.kind.proper": ("name", "nom propre"),
    "qa.kind.chunk": ("words", "groupe de mots"),
    "qa.kind.clause": ("clause", "proposition"),
    "qa.kind.span": ("span", "passage"),
    "qa.expected": ("Expected answer for this sample: {answer}", "Réponse attendue pour cet exemple : {answer}"),
    "qa.measured": (
        "Measured on the project's {questions} held-out questions, one core — {rows}.",
        "Mesuré sur les {questions} questions réservées du projet, sur un cœur — {rows}.",
    ),
    "qa.measured_default": (
        "The default is the most accurate reader that answers in under 1.5 s.",
        "Le modèle par défaut est le lecteur le plus juste qui répond en moins de 1,5 s.",
    ),
    "qa.server_default": (
        "On this server, the default reader was chosen by its administrator (DL_HUB_DEFAULT_MODELS).",
        "Sur ce serveur, le lecteur par défaut a été choisi par son administrateur (DL_HUB_DEFAULT_MODELS).",
    ),
    "qa.measured_row": ("`{model}`: {matched:.0%} matched, median {p50:,.0f} ms", "`{model}` : {matched:.0%} de réponses justes, médiane {p50:,.0f} ms"),
    "qa.settings": ("Settings to experiment with", "Réglages pour expérimenter"),
    "qa.top_sentences": ("Sentences searched for the answer (offline models)", "Phrases où chercher la réponse (modèles hors ligne)"),
    "qa.top_sentences_help": (
        "The retrieval step keeps this many sentences; spans are only looked for inside them. 1 is fastest but fails when the best-matching sentence is not the one holding the answer.",
        "L'étape de recherche garde ce nombre de phrases ; la réponse n'est cherchée qu'à l'intérieur. 1 est le plus rapide mais échoue quand la phrase la plus proche n'est pas celle qui contient la réponse.",
    ),
    "qa.max_answer_tokens": ("Longest answer, in tokens (hub reader)", "Réponse la plus longue, en tokens (lecteur du hub)"),
    "qa.unsure_threshold": ("Say “unsure” below this confidence", "Dire « pas sûr » sous cette confiance"),
    "qa.sample.eiffel": ("🇬🇧 Eiffel Tower", "🇬🇧 Tour Eiffel"),
    "qa.sample.curie": ("🇬🇧 Marie Curie", "🇬🇧 Marie Curie"),
    "qa.sample.mont_blanc": ("🇫🇷 Mont Blanc", "🇫🇷 Mont Blanc"),
    "qa.sample.verne": ("🇫🇷 Jules Verne", "🇫🇷 Jules Verne"),
    "qa.sample.bicycle": ("🇬🇧 Bicycle (300 words)", "🇬🇧 Vélo (300 mots)"),
    "qa.cross_lingual_tip": (
        "Tip: ask in French about an English passage (or the reverse) — the encoder is multilingual.",
        "Astuce : posez la question en français sur un texte anglais (ou l'inverse) — l'encodeur est multilingue.",
    ),
    "error.empty_context": ("Please paste a passage or choose a sample first.", "Collez d'abord un texte ou choisissez un exemple."),
    "error.empty_question": ("Please type a question about the passage.", "Tapez une question sur le texte."),
    "error.question_too_long": (
        "The question is too long ({chars:,} characters; the limit is {limit:,}). Ask something shorter.",
        "La question est trop longue ({chars:,} caractères ; la limite est {limit:,}). Posez une question plus courte.",
    ),
    "error.context_too_long": (
        "This passage is far too long ({chars:,} characters). Paste at most {limit:,} characters.",
        "Ce texte est beaucoup trop long ({chars:,} caractères). Collez au plus {limit:,} caractères.",
    ),
    "error.qa_hub_unavailable": (
        "The hub model {hub_id} could not be loaded: it is downloaded from the internet the first time. Choose one of the offline models.",
        "Le modèle du hub {hub_id} n'a pas pu être chargé : il est téléchargé depuis internet la première fois. Choisissez l'un des modèles hors ligne.",
    ),
    "error.no_words": ("The passage has no words to search.", "Le texte ne contient aucun mot où chercher."),
    "error.unreadable_file": ("This file cannot be read.", "Ce fichier ne peut pas être lu."),
    "notice.qa_prefiltered": (
        "Long passage: to stay fast, the encoder read only the {encoded} of {sentences} sentences that share the most words with the question.",
        "Texte long : pour rester rapide, l'encodeur n'a lu que les {encoded} phrases sur {sentences} qui partagent le plus de mots avec la question.",
    ),
    "notice.qa_lm_windows": (
        "The passage is long: the language model read only the {read} sentences (of {total}) closest to the question.",
        "Le texte est long : le modèle de langue n'a lu que les {read} phrases (sur {total}) les plus proches de la question.",
    ),
    "notice.context_truncated": (
        "The passage was cut to its first {limit:,} characters (it had {chars:,}); the answer is searched only there.",
        "Le texte a été coupé à ses {limit:,} premiers caractères (il en comptait {chars:,}) ; la réponse n'est cherchée que là.",
    ),
    "qa.how": (
        "**Three ways to answer a question about a text.**\n\n"
        "**1. Retrieval + span selection (offline, the fast alternative).** The passage is cut into sentences. A multilingual sentence encoder "
        "(multilingual-e5-small) turns the question and every sentence into vectors of 384 numbers; sentences whose vector points in the same "
        "direction as the question's (high *cosine similarity*) are kept — this is **retrieval**, the table above shows it. Inside the kept "
        "sentences, rules cut out candidate answers (dates, numbers with units, names, groups of words) and score them: does the kind fit the "
        "question (*who* → a name, *when* → a date, *combien* → a number), is it near the question's rare words, does it merely repeat the "
        "question, and how similar is it to the question for the encoder. Because the encoder maps French and English to the same space, a French "
        "question finds its answer in an English text.\n\n"
        "**Where it fails.** It does not *read*: the rules decide the answer's boundaries (often a word too many), it cannot combine two "
        "sentences, understand negation, or answer *what* questions whose answer is not a name, number or short phrase. Its confidence is a "
        "heuristic, not a probability.\n\n"
        "**2. Reading comprehension (the hub models, with internet).** A transformer fine-tuned on SQuAD (100,000 questions with their answer "
        "spans) reads question and passage together, token by token, and predicts for each token the probability that the answer **starts** "
        "there and that it **ends** there; the best span maximises *p(start) × p(end)* with start ≤ end and a maximum length. Long passages are "
        "split into overlapping windows (the *stride*) so that no answer is cut in half. Trained end to end on real questions, such a reader "
        "handles paraphrases and exact boundaries far better — at the price of a download and more compute.\n\n"
        "**3. A small language model held to the text (Gemma 3 270M, offline, the default here).** The same retrieval keeps the best sentences; the "
        "language model reads them after a few worked examples (*few-shot*) and may only answer with a copy of them: its first token "
        "must start a word of the text, every next token must continue the text, and every possible span is scored in one pass by the "
        "model's probability of answering exactly it. The ranking adds rules on the answer's form, as in reader 1 (a number for *how many*, "
        "a date for *when*, a name for *who*, the whole clause after *because* for *why*, closeness to the question's words, a whole "
        "list), because a 270M model often stops a list or a reason early, or copies a year where an amount is asked. Its score "
        "is that probability combined with how well the best sentence matches.",
        "**Trois façons de répondre à une question sur un texte.**\n\n"
        "**1. Recherche + sélection d'un passage (hors ligne, l'alternative rapide).** Le texte est découpé en phrases. Un encodeur de phrases "
        "multilingue (multilingual-e5-small) transforme la question et chaque phrase en vecteurs de 384 nombres ; les phrases dont le vecteur "
        "pointe dans la même direction que celui de la question (forte *similarité cosinus*) sont gardées — c'est la **recherche** (*retrieval*), "
        "visible dans le tableau ci-dessus. Dans ces phrases, des règles découpent des réponses candidates (dates, nombres avec leur unité, noms "
        "propres, groupes de mots) et les notent : leur type correspond-il à la question (*qui* → un nom, *quand* → une date, *combien* → un "
        "nombre), sont-elles proches des mots rares de la question, ne font-elles que répéter la question, et à quel point l'encodeur les juge "
        "proches de la question. Comme l'encodeur place le français et l'anglais dans le même espace, une question en français trouve sa réponse "
        "dans un texte anglais.\n\n"
        "**Où il échoue.** Il ne *lit* pas : les règles décident des limites de la réponse (souvent un mot de trop), il ne sait pas combiner "
        "deux phrases, comprendre une négation, ni répondre aux questions *que/quoi* dont la réponse n'est pas un nom, un nombre ou un groupe "
        "de mots court. Sa confiance est une heuristique, pas une probabilité.\n\n"
        "**2. Compréhension de lecture (les modèles du hub, avec internet).** Un transformeur affiné sur SQuAD (100 000 questions avec le passage "
        "qui y répond) lit la question et le texte ensemble, token par token, et prédit pour chaque token la probabilité que la réponse y "
        "**commence** et qu'elle y **finisse** ; le meilleur passage maximise *p(début) × p(fin)* avec début ≤ fin et une longueur maximale. "
        "Les longs textes sont découpés en fenêtres qui se chevauchent (le *stride*) pour qu'aucune réponse ne soit coupée en deux. Entraîné de "
        "bout en bout sur de vraies questions, un tel lecteur gère bien mieux les reformulations et les limites exactes — au prix d'un "
        "téléchargement et de plus de calcul.\n\n"
        "**3. Un petit modèle de langue tenu au texte (Gemma 3 270M, hors ligne, le modèle par défaut ici).** La même recherche garde les meilleures phrases ; le "
        "modèle de langue les lit après quelques exemples résolus (*few-shot*) et ne peut répondre qu'en les recopiant : son premier "
        "token doit commencer un mot du texte, chaque token suivant doit continuer le texte, et chaque passage possible est noté en une "
        "seule passe par la probabilité que le modèle réponde exactement cela. Le classement y ajoute des règles sur la forme de la "
        "réponse, comme pour le lecteur 1 (un nombre pour *combien*, une date pour *quand*, un nom pour *qui*, toute la proposition qui "
        "suit *parce que* pour *pourquoi*, la proximité des mots de la question, une liste entière), car un modèle de 270M s'arrête "
        "souvent trop tôt dans une liste ou une raison, ou recopie une année là où l'on demande une quantité. Son score "
        "combine cette probabilité et la proximité de la meilleure phrase avec la question.",
    ),
}
