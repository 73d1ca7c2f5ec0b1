"""Strings of the explanations page (SHAP and LIME side by side)."""

STRINGS = {
    "explain.title": ("Explanations: SHAP and LIME", "Explications : SHAP et LIME"),
    "explain.tagline": (
        "Why did a model answer that? Pick a model and an input: **SHAP** (Shapley values) and **LIME** (a local linear surrogate) each say which features pushed the prediction, side by side — and we measure how much they agree and how stable they are. The models are the hub's own: a gradient-boosting model on a breast-cancer table, the sentiment model and the digit CNN.",
        "Pourquoi un modèle a-t-il répondu cela ? Choisissez un modèle et une entrée : **SHAP** (valeurs de Shapley) et **LIME** (un substitut linéaire local) disent chacun quelles caractéristiques ont poussé la prédiction, côte à côte — et nous mesurons à quel point ils concordent et sont stables. Les modèles sont ceux du hub : un gradient boosting sur un tableau de cancer du sein, le modèle de sentiment et le CNN de chiffres.",
    ),
    "explain.tab_tabular": ("Table (breast cancer)", "Tableau (cancer du sein)"),
    "explain.tab_text": ("Text (sentiment)", "Texte (sentiment)"),
    "explain.tab_image": ("Image (digits)", "Image (chiffres)"),
    "explain.lime_samples": ("LIME: perturbed samples", "LIME : échantillons perturbés"),
    "explain.shap_evals": ("SHAP: model evaluations", "SHAP : évaluations du modèle"),
    "explain.lime_samples_help": (
        "How many perturbed copies of the input LIME asks the model about. More = steadier but slower.",
        "Combien de copies perturbées de l'entrée LIME soumet au modèle. Plus = plus stable mais plus lent.",
    ),
    "explain.shap_evals_help": (
        "SHAP's budget of model calls (text: partition explainer; image: expected-gradient samples). More = more precise but slower.",
        "Budget d'appels au modèle de SHAP (texte : explainer par partition ; image : échantillons de gradients espérés). Plus = plus précis mais plus lent.",
    ),
    "explain.shap_exact": ("Tree SHAP is exact for tree models: it needs no samples.", "Tree SHAP est exact pour les arbres : il n'a besoin d'aucun échantillon."),
    "explain.estimate": ("Estimated time: about {seconds:.1f} s on this server.", "Temps estimé : environ {seconds:.1f} s sur ce serveur."),
    "explain.run": ("Explain with SHAP and LIME", "Expliquer avec SHAP et LIME"),
    "explain.progress": ("Explaining… {done:.0%}", "Explication… {done:.0%}"),
    "explain.cached": ("Result reused from earlier in this session (same input and settings).", "Résultat réutilisé depuis plus tôt dans cette session (même entrée, mêmes réglages)."),
    "explain.shap_title": ("SHAP", "SHAP"),
    "explain.lime_title": ("LIME", "LIME"),
    "explain.shap_units_logodds": (
        "Shapley values in log-odds of “malignant”; start: {base:+.2f} (average patient).",
        "Valeurs de Shapley en log-cote de « malin » ; départ : {base:+.2f} (patient moyen).",
    ),
    "explain.units_probability": ("Weights in probability of “{label}”.", "Poids en probabilité de « {label} »."),
    "explain.legend": (
        "Orange pushes towards “{label}”, purple pushes against it (colour-blind-safe scale, the same for both methods).",
        "Orange pousse vers « {label} », violet pousse contre (échelle lisible par les daltoniens, la même pour les deux méthodes).",
    ),
    "explain.prediction": ("The model says **{label}** with probability {p:.0%}.", "Le modèle répond **{label}** avec une probabilité de {p:.0%}."),
    "explain.truth": ("True diagnosis of this patient: {label}.", "Diagnostic réel de ce patient : {label}."),
    "explain.agreement": ("Do SHAP and LIME agree?", "SHAP et LIME sont-ils d'accord ?"),
    "explain.spearman": ("Rank correlation (Spearman ρ)", "Corrélation des rangs (ρ de Spearman)"),
    "explain.spearman_help": ("+1: same order of features; 0: unrelated; −1: opposite.", "+1 : même ordre des caractéristiques ; 0 : sans rapport ; −1 : opposé."),
    "explain.topk": ("Top-{k} overlap", "Recouvrement du top {k}"),
    "explain.topk_help": ("Share of the {k} most important features that both methods name.", "Part des {k} caractéristiques les plus importantes citées par les deux méthodes."),
    "explain.stability": ("How stable are the explanations?", "Les explications sont-elles stables ?"),
    "explain.stability_run": ("Repeat with 3 seeds", "Répéter avec 3 graines"),
    "explain.stability_result": (
        "{method}, over {n} seeds: mean rank correlation {rho:.2f} (worst {low:.2f}), top-{k} overlap {overlap:.0%}.",
        "{method}, sur {n} graines : corrélation des rangs moyenne {rho:.2f} (pire {low:.2f}), recouvrement du top {k} {overlap:.0%}.",
    ),
    "explain.stability_note": (
        "LIME depends on its random samples: raise the samples to steady it. SHAP is deterministic on the table (exact) and the text (fixed partitions); on the image, expected gradients draw random references, so it is repeated too.",
        "LIME dépend de ses tirages : augmentez les échantillons pour le stabiliser. SHAP est déterministe sur le tableau (exact) et le texte (partitions fixes) ; sur l'image, les gradients espérés tirent des références au hasard, on le répète donc aussi.",
    ),
    "explain.seconds": ("Both explanations took {seconds:.1f} s.", "Les deux explications ont pris {seconds:.1f} s."),
    "explain.weight": ("weight", "poids"),
    "explain.feature": ("feature", "caractéristique"),
    "explain.value": ("value", "valeur"),
    # tabular
    "explain.patient": ("Patient {i} ({label})", "Patient {i} ({label})"),
    "explain.class.malignant": ("malignant", "malin"),
    "explain.class.benign": ("benign", "bénin"),
    "explain.not_medical": (
        "A teaching model on a small 1995 data set: never use it for a diagnosis.",
        "Un modèle pédagogique sur un petit jeu de données de 1995 : ne l'utilisez jamais pour un diagnostic.",
    ),
    "explain.whatif": ("What if? Change one feature", "Et si ? Changez une caractéristique"),
    "explain.whatif_feature": ("Feature", "Caractéristique"),
    "explain.whatif_value": ("New value (training range {low:.3g} – {high:.3g})", "Nouvelle valeur (plage d'entraînement {low:.3g} – {high:.3g})"),
    "explain.whatif_result": (
        "Probability of malignant: {before:.1%} → **{after:.1%}**.",
        "Probabilité de malin : {before:.1%} → **{after:.1%}**.",
    ),
    "explain.global": ("Global view: SHAP over all 143 held-out patients", "Vue globale : SHAP sur les 143 patients de test"),
    "explain.global_show": ("Draw every patient (a few thousand points)", "Afficher tous les patients (quelques milliers de points)"),
    "explain.global_help": (
        "Each dot is a patient; right = pushed towards malignant. Colour = the feature's value (dark low, yellow high).",
        "Chaque point est un patient ; à droite = poussé vers malin. Couleur = valeur de la caractéristique (sombre bas, jaune haut).",
    ),
    "explain.feature_rank": ("normalised value", "valeur normalisée"),
    # text
    "explain.text_label": ("Your text (English or French)", "Votre texte (anglais ou français)"),
    "explain.sample.en_pos": ("🇬🇧 Enthusiastic", "🇬🇧 Enthousiaste"),
    "explain.sample.en_neg": ("🇬🇧 Angry", "🇬🇧 En colère"),
    "explain.sample.en_mixed": ("🇬🇧 Mixed", "🇬🇧 Mitigé"),
    "explain.sample.fr_pos": ("🇫🇷 Ravi", "🇫🇷 Ravi"),
    "explain.sample.fr_neg": ("🇫🇷 Déçu", "🇫🇷 Déçu"),
    "explain.highlight": ("Word highlights", "Mots surlignés"),
    # image
    "explain.digit_model": ("Digit model", "Modèle de chiffres"),
    "explain.digit": ("Digit {i}", "Chiffre {i}"),
    "explain.upload_digit": ("…or upload a 28×28 digit image (PNG)", "…ou téléversez une image de chiffre 28×28 (PNG)"),
    "explain.input": ("Input", "Entrée"),
    "explain.gradient": ("Gradient saliency", "Saillance du gradient"),
    "explain.gradcam": ("Grad-CAM", "Grad-CAM"),
    "explain.saliency_note": (
        "For comparison: the gradient (how much each pixel's change would move the probability) and Grad-CAM (where the last convolution layer looked). Their own scale, unsigned.",
        "Pour comparer : le gradient (combien un changement de chaque pixel ferait bouger la probabilité) et Grad-CAM (où regardait la dernière couche de convolution). Leur propre échelle, sans signe.",
    ),
    "explain.superpixels": (
        "Features are {n} superpixels (SLIC segmentation); SHAP's pixel values are summed per superpixel to compare with LIME.",
        "Les caractéristiques sont {n} superpixels (segmentation SLIC) ; les valeurs SHAP par pixel sont sommées par superpixel pour comparer avec LIME.",
    ),
    # errors and notices
    "error.explain_bad_method": ("Unknown method “{method}”: choose SHAP or LIME.", "Méthode « {method} » inconnue : choisissez SHAP ou LIME."),
    "error.explain_bad_target": ("Unknown target “{target}”: choose table, text or image.", "Cible « {target} » inconnue : choisissez tableau, texte ou image."),
    "error.explain_bad_samples": ("The number of samples must be a whole number (got “{value}”).", "Le nombre d'échantillons doit être un nombre entier (reçu « {value} »)."),
    "error.explain_bad_seed": ("The seed must be a whole number (got “{value}”).", "La graine doit être un nombre entier (reçu « {value} »)."),
    "error.explain_bad_repeats": ("Repeats must be a whole number from 2 to {limit}.", "Le nombre de répétitions doit être un entier de 2 à {limit}."),
    "error.explain_wrong_model": ("The model “{model}” cannot be explained on this target ({target}).", "Le modèle « {model} » ne peut pas être expliqué sur cette cible ({target})."),
    "error.explain_bad_sample": ("There is no such sample: choose a number from 0 to {last}.", "Cet exemple n'existe pas : choisissez un nombre de 0 à {last}."),
    "error.explain_unknown_feature": ("Unknown feature “{feature}”.", "Caractéristique « {feature} » inconnue."),
    "error.explain_bad_value": ("The value of {feature} must be a number (got “{value}”).", "La valeur de {feature} doit être un nombre (reçu « {value} »)."),
    "error.explain_no_words": ("The text has no words to explain.", "Le texte ne contient aucun mot à expliquer."),
    "error.explain_too_many_words": (
        "The text has {words} words; explain at most {limit} at a time (every word is a feature, so long texts need far more samples).",
        "Le texte compte {words} mots ; expliquez-en au plus {limit} à la fois (chaque mot est une caractéristique : un long texte demande bien plus d'échantillons).",
    ),
    "error.explain_no_image": ("Choose a sample or upload a 28×28 digit image.", "Choisissez un exemple ou téléversez une image de chiffre 28×28."),
    "error.explain_image_size": (
        "The digit model reads 28×28 grey images; this one is {size}. Pick a sample, or download a digit from the adversarial page.",
        "Le modèle de chiffres lit des images grises 28×28 ; celle-ci fait {size}. Choisissez un exemple, ou téléchargez un chiffre depuis la page des attaques.",
    ),
    "error.explain_file_not_found": ("Cannot read {path}.", "Impossible de lire {path}."),
    "notice.explain_samples_capped": (
        "{asked:,} samples is outside the allowed range ({low:,} to {high:,}): {used:,} were used.",
        "{asked:,} échantillons est hors de la plage permise ({low:,} à {high:,}) : {used:,} ont été utilisés.",
    ),
    "notice.explain_extrapolation": (
        "{feature} = {value:.4g} is outside the training range [{low:.4g}, {high:.4g}]: the model is extrapolating, trust it less.",
        "{feature} = {value:.4g} est hors de la plage d'entraînement [{low:.4g}, {high:.4g}] : le modèle extrapole, fiez-vous-y moins.",
    ),
    "notice.explain_inverted": ("Dark ink on light paper was inverted to white on black, like MNIST.", "L'encre sombre sur fond clair a été inversée en blanc sur noir, comme MNIST."),
    "explain.how": (
        "**Shapley values (SHAP).** Treat the features as players sharing a prize: the prediction minus the average prediction. A feature's Shapley value is its average extra contribution over every order in which the features could join — the only *fair* sharing (efficiency, symmetry, dummy, additivity). The values add up exactly to the prediction minus the average: check it on the table, where *Tree SHAP* computes them exactly in milliseconds. For other models SHAP estimates them: the text uses a *partition* explainer (masks groups of neighbouring words), the image uses *expected gradients* (gradients averaged along paths from reference digits).\n\n"
        "**LIME.** Perturb the input (drop words, grey out superpixels, redraw table values from the training data), ask the model about each perturbed copy, then fit a small *weighted linear model* to those answers, giving more weight to copies close to the original. Its coefficients are the explanation: a *local surrogate*, true near this input only.\n\n"
        "**Costs.** Exact Shapley values need 2ⁿ model calls for n features; SHAP's estimators and LIME trade calls for precision — the two sliders. Tree SHAP is the exception: exact and fast on trees.\n\n"
        "**Failure modes.** Correlated features (radius, perimeter and area measure the same thing) share or swap credit; LIME's answer moves with its random samples and kernel width (see the stability figure); perturbed inputs (texts with holes, digits with black patches) may be unlike anything the model saw; and an explanation of the model is not an explanation of the world — a faithful explanation of a biased model shows the bias.\n\n"
        "**Reading the figures.** Both methods use the same colours: orange pushes towards the explained class, purple against. The agreement figure compares their feature rankings (Spearman ρ) and their top-5 lists; the stability figure repeats LIME with different seeds. Interpretability is part of trust: use it to find where a model relies on the wrong cues, not to prove it right.",
        "**Valeurs de Shapley (SHAP).** Voyez les caractéristiques comme des joueurs qui se partagent un gain : la prédiction moins la prédiction moyenne. La valeur de Shapley d'une caractéristique est sa contribution supplémentaire moyenne sur tous les ordres d'arrivée possibles — le seul partage *équitable* (efficacité, symétrie, joueur nul, additivité). Les valeurs s'additionnent exactement à la prédiction moins la moyenne : vérifiez-le sur le tableau, où *Tree SHAP* les calcule exactement en quelques millisecondes. Pour les autres modèles SHAP les estime : le texte utilise un explainer par *partition* (masque des groupes de mots voisins), l'image les *gradients espérés* (gradients moyennés le long de chemins depuis des chiffres de référence).\n\n"
        "**LIME.** On perturbe l'entrée (mots supprimés, superpixels éteints, valeurs du tableau retirées depuis les données d'entraînement), on interroge le modèle sur chaque copie, puis on ajuste un petit *modèle linéaire pondéré* sur ses réponses, en donnant plus de poids aux copies proches de l'original. Ses coefficients sont l'explication : un *substitut local*, vrai seulement près de cette entrée.\n\n"
        "**Coûts.** Les valeurs de Shapley exactes demandent 2ⁿ appels au modèle pour n caractéristiques ; les estimateurs de SHAP et LIME échangent des appels contre de la précision — les deux curseurs. Tree SHAP est l'exception : exact et rapide sur les arbres.\n\n"
        "**Pièges.** Les caractéristiques corrélées (rayon, périmètre et aire mesurent la même chose) se partagent ou s'échangent le mérite ; la réponse de LIME bouge avec ses tirages et la largeur de son noyau (voir la stabilité) ; les entrées perturbées (textes troués, chiffres avec des taches noires) peuvent ne ressembler à rien de ce que le modèle a vu ; et expliquer le modèle n'est pas expliquer le monde — une explication fidèle d'un modèle biaisé montre le biais.\n\n"
        "**Lire les figures.** Les deux méthodes utilisent les mêmes couleurs : orange pousse vers la classe expliquée, violet contre. La concordance compare leurs classements (ρ de Spearman) et leurs top 5 ; la stabilité répète LIME avec des graines différentes. L'interprétabilité fait partie de la confiance : servez-vous-en pour trouver où un modèle s'appuie sur de mauvais indices, pas pour prouver qu'il a raison.",
    ),
}
