"""Strings of the language model page."""

STRINGS = {
    "nav.lm": ("Language model", "Modèle de langue"),
    "gallery.lm.blurb": (
        "Watch a small language model write, one token at a time: its probabilities, its hesitations, and what temperature changes.",
        "Regardez un petit modèle de langue écrire, un jeton après l'autre : ses probabilités, ses hésitations, et ce que change la température.",
    ),
    "lm.title": ("A language model writes", "Un modèle de langue écrit"),
    "lm.tagline": (
        "Gemma 3 270M continues your text **one token at a time**: at each step it gives a probability to every token of its vocabulary, and one is picked. Click another candidate to steer it.",
        "Gemma 3 270M poursuit votre texte **un jeton à la fois** : à chaque étape, il donne une probabilité à chaque jeton de son vocabulaire, puis l'un d'eux est choisi. Cliquez sur un autre candidat pour l'orienter.",
    ),
    "lm.limits": (
        "**What this model cannot do.** It is a *base* model of 270 million parameters, trained only to continue text: it does not follow instructions or answer questions reliably, it often invents facts, dates and names with great assurance, and it repeats itself. Treat every output as a plausible continuation, never as a fact.",
        "**Ce que ce modèle ne sait pas faire.** C'est un modèle *de base* de 270 millions de paramètres, entraîné seulement à prolonger un texte : il ne suit pas les consignes et ne répond pas aux questions de façon fiable, il invente souvent des faits, des dates et des noms avec aplomb, et il se répète. Prenez chaque sortie pour une suite plausible, jamais pour un fait.",
    ),
    "lm.licence_note": (
        "Licence: the **Gemma Terms of Use**. You may use, modify and share the model, but whoever shares it (or a model derived from it) must pass the same terms on and respect Google's Gemma Prohibited Use Policy. It is not an open-source licence.",
        "Licence : les **conditions d'utilisation de Gemma**. Vous pouvez utiliser, modifier et partager le modèle, mais qui le partage (ou partage un modèle qui en dérive) doit transmettre ces mêmes conditions et respecter la politique d'usages interdits de Gemma de Google. Ce n'est pas une licence open source.",
    ),
    "lm.prompt_label": ("Beginning of the text", "Début du texte"),
    "lm.prompt_placeholder": ("Write the beginning of a text for the model to continue…", "Écrivez le début d'un texte que le modèle poursuivra…"),
    "lm.sample.en_story": ("🇬🇧 A story", "🇬🇧 Une histoire"),
    "lm.sample.en_fact": ("🇬🇧 A fact", "🇬🇧 Un fait"),
    "lm.sample.fr_recipe": ("🇫🇷 Une recette", "🇫🇷 Une recette"),
    "lm.sample.fr_poem": ("🇫🇷 Un poème", "🇫🇷 Un poème"),
    "lm.settings": ("Sampling settings", "Réglages du tirage"),
    "lm.max_new_tokens": ("Tokens to write", "Jetons à écrire"),
    "lm.temperature": ("Temperature", "Température"),
    "lm.temperature_help": (
        "0 = always the most likely token (greedy, deterministic). Higher values flatten the probabilities: more surprising, less coherent text.",
        "0 = toujours le jeton le plus probable (glouton, déterministe). Plus la valeur monte, plus les probabilités s'aplatissent : texte plus surprenant, moins cohérent.",
    ),
    "lm.top_k": ("Top-k (0 = off)", "Top-k (0 = désactivé)"),
    "lm.top_k_help": ("Draw only among the k most likely tokens.", "Ne tirer que parmi les k jetons les plus probables."),
    "lm.top_p": ("Top-p", "Top-p"),
    "lm.top_p_help": (
        "Draw only among the most likely tokens whose probabilities add up to p (nucleus sampling).",
        "Ne tirer que parmi les jetons les plus probables dont les probabilités totalisent p (échantillonnage par noyau).",
    ),
    "lm.seed": ("Random seed", "Graine aléatoire"),
    "lm.compare": ("Show greedy and sampled side by side", "Afficher côte à côte glouton et tiré au sort"),
    "lm.generate": ("Write", "Écrire"),
    "lm.greedy_title": ("Greedy (temperature 0)", "Glouton (température 0)"),
    "lm.sampled_title": ("Sampled (temperature {temperature:g}, top-k {top_k}, top-p {top_p:g}, seed {seed})", "Tiré au sort (température {temperature:g}, top-k {top_k}, top-p {top_p:g}, graine {seed})"),
    "lm.greedy_when_zero": (
        "With temperature 0 both columns would be identical: raise the temperature to see sampling.",
        "Avec une température 0, les deux colonnes seraient identiques : montez la température pour voir le tirage.",
    ),
    "lm.writing": ("Writing…", "Écriture…"),
    "lm.speed": ("{n} tokens · {tps:.1f} tokens/s · prompt read in {prefill:,.0f} ms", "{n} jetons · {tps:.1f} jetons/s · consigne lue en {prefill:,.0f} ms"),
    "lm.stopped_end": ("The model ended the text itself.", "Le modèle a terminé le texte de lui-même."),
    "lm.steps_title": ("Token by token", "Jeton par jeton"),
    "lm.steps_help": (
        "Pick a step to see the ten tokens the model found most likely there. Click another token to continue the text from it.",
        "Choisissez une étape pour voir les dix jetons que le modèle jugeait les plus probables. Cliquez sur un autre jeton pour continuer le texte à partir de lui.",
    ),
    "lm.step": ("Step", "Étape"),
    "lm.step_label": ("{index}. «{token}» ({prob:.0%})", "{index}. « {token} » ({prob:.0%})"),
    "lm.chosen": ("Chosen: «{token}», probability {prob:.1%}", "Choisi : « {token} », probabilité {prob:.1%}"),
    "lm.forced_mark": ("chosen by you", "choisi par vous"),
    "lm.continue_with": ("Continue with another token:", "Continuer avec un autre jeton :"),
    "lm.col.token": ("token", "jeton"),
    "lm.col.prob": ("probability", "probabilité"),
    "lm.col.id": ("id", "id"),
    "lm.col.chars": ("characters", "caractères"),
    "lm.steered": ("Continued from your choice at step {index}: «{token}».", "Suite reprise depuis votre choix à l'étape {index} : « {token} »."),
    "lm.tab_steps": ("Probabilities", "Probabilités"),
    "lm.tab_tokens": ("Tokenizer", "Découpage en jetons"),
    "lm.tab_attention": ("Attention", "Attention"),
    "lm.tokens_intro": (
        "The model never sees letters: the text is cut into **{n} tokens** (pieces of words), each with its number in a vocabulary of {vocab:,}. ▁ marks a space.",
        "Le modèle ne voit jamais de lettres : le texte est découpé en **{n} jetons** (morceaux de mots), chacun avec son numéro dans un vocabulaire de {vocab:,}. ▁ marque une espace.",
    ),
    "lm.attention_intro": (
        "How much each token of the prompt (rows) looks at the earlier ones (columns) in the **last layer**, one map per head. Darker = more attention. Only the last {n} tokens are shown.",
        "À quel point chaque jeton de la consigne (lignes) regarde les précédents (colonnes) dans la **dernière couche**, une carte par tête. Plus foncé = plus d'attention. Seuls les {n} derniers jetons sont affichés.",
    ),
    "lm.head": ("Head {index}", "Tête {index}"),
    "lm.query": ("token reading", "jeton qui lit"),
    "lm.key": ("token read", "jeton lu"),
    "lm.weight": ("attention", "attention"),
    "lm.how": (
        "**Next-token prediction.** A language model is trained on a huge amount of text to do one thing: given the beginning of a text, give a probability to every possible next token. Writing is just that, repeated: predict, pick one token, append it, predict again. Each new token costs one pass through the network — which is what *tokens per second* measures.\n\n"
        "**Transformers and attention.** Gemma is a *transformer*: 18 layers in which every token builds its representation by *attending* to the tokens before it — a weighted average where the network decides the weights. Unlike a recurrent network, which reads one word after another, attention links any two positions directly, however far apart. The *Attention* tab shows those weights for the last layer: some heads look at the previous token, others at the first token or at a related word.\n\n"
        "**Why sampling settings matter.** Always taking the most likely token (*greedy*) is repeatable but dull and often loops. Drawing at random from the probabilities is more varied; *temperature* sharpens (< 1) or flattens (> 1) them, *top-k* and *top-p* cut off the unlikely tail so a rare bad token is not drawn. The same prompt with another seed gives another text: the model has no single answer, only a distribution.\n\n"
        "**Limits.** 270 million parameters is tiny for a language model (GPT-3 had 175 billion). This base model has read a lot but checks nothing: its text is fluent, not true.",
        "**Prédire le jeton suivant.** Un modèle de langue est entraîné sur une énorme quantité de textes à une seule chose : étant donné le début d'un texte, donner une probabilité à chaque jeton qui pourrait suivre. Écrire, c'est répéter cela : prédire, choisir un jeton, l'ajouter, prédire à nouveau. Chaque nouveau jeton coûte un passage dans le réseau — c'est ce que mesurent les *jetons par seconde*.\n\n"
        "**Transformers et attention.** Gemma est un *transformer* : 18 couches où chaque jeton construit sa représentation en *prêtant attention* aux jetons qui le précèdent — une moyenne pondérée dont le réseau décide les poids. Contrairement à un réseau récurrent, qui lit un mot après l'autre, l'attention relie directement deux positions, aussi éloignées soient-elles. L'onglet *Attention* montre ces poids dans la dernière couche : certaines têtes regardent le jeton précédent, d'autres le premier jeton ou un mot apparenté.\n\n"
        "**Pourquoi les réglages du tirage comptent.** Prendre toujours le jeton le plus probable (*glouton*) est reproductible mais plat, et tourne souvent en boucle. Tirer au sort selon les probabilités donne plus de variété ; la *température* les accentue (< 1) ou les aplatit (> 1), *top-k* et *top-p* coupent la traîne des jetons improbables pour qu'un mauvais jeton rare ne soit pas tiré. La même consigne avec une autre graine donne un autre texte : le modèle n'a pas une réponse, seulement une distribution.\n\n"
        "**Limites.** 270 millions de paramètres, c'est minuscule pour un modèle de langue (GPT-3 en avait 175 milliards). Ce modèle de base a beaucoup lu mais ne vérifie rien : son texte est fluide, pas vrai.",
    ),
    "error.empty_prompt": ("Please write the beginning of a text for the model to continue.", "Écrivez d'abord le début d'un texte que le modèle poursuivra."),
    "error.lm_hub_unavailable": (
        "The hub model {hub_id} could not be loaded: it needs internet the first time.",
        "Le modèle du hub {hub_id} n'a pas pu être chargé : il faut une connexion Internet la première fois.",
    ),
    "notice.prompt_chars_cut": (
        "The text had {chars:,} characters: only its last {limit:,} were read.",
        "Le texte comptait {chars:,} caractères : seuls ses {limit:,} derniers ont été lus.",
    ),
    "notice.prompt_tokens_cut": (
        "The text is {tokens:,} tokens long: only its last {limit} tokens fit in the model's window here.",
        "Le texte fait {tokens:,} jetons : seuls ses {limit} derniers tiennent ici dans la fenêtre du modèle.",
    ),
    "notice.setting_clamped": (
        "{name} must be between {low} and {high}: {used} was used.",
        "{name} doit être entre {low} et {high} : {used} a été utilisé.",
    ),
    "notice.setting_invalid": (
        "{name}: «{value}» is not a number; {used} was used.",
        "{name} : « {value} » n'est pas un nombre ; {used} a été utilisé.",
    ),
}
