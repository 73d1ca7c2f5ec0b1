"""Strings of the adversarial attacks page."""

STRINGS = {
    "attack.title": ("Adversarial attacks", "Attaques adverses"),
    "attack.tagline": (
        "Change an image by an amount you can barely see and watch a neural network change its mind: hand-written **FGSM** and **PGD** attacks against a digit classifier (trained here, normally or *adversarially* as a defence) and against **EfficientNet-Lite0**, an ImageNet photo classifier.",
        "Modifiez une image d'une quantité à peine visible et regardez un réseau de neurones changer d'avis : des attaques **FGSM** et **PGD** écrites à la main contre un classifieur de chiffres (entraîné ici, normalement ou de façon *adverse* pour se défendre) et contre **EfficientNet-Lite0**, un classifieur de photos ImageNet.",
    ),
    "attack.tab_attack": ("Attack one image", "Attaquer une image"),
    "attack.tab_curve": ("Accuracy vs ε (defence)", "Précision selon ε (défense)"),
    "attack.source": ("Image", "Image"),
    "attack.source.sample": ("Sample", "Exemple"),
    "attack.source.random": ("Random test digit", "Chiffre de test au hasard"),
    "attack.source.upload": ("Upload", "Téléverser"),
    "attack.sample_digit": ("Test digit no. {index} (a {label})", "Chiffre de test n° {index} (un {label})"),
    "attack.sample.coffee": ("☕ Coffee", "☕ Café"),
    "attack.sample.cat": ("🐈 Cat", "🐈 Chat"),
    "attack.sample.motorcycle": ("🏍️ Motorbike", "🏍️ Moto"),
    "attack.sample.rocket": ("🚀 Rocket", "🚀 Fusée"),
    "attack.new_random": ("Another random digit", "Un autre chiffre au hasard"),
    "attack.upload_label": ("Upload an image (PNG, JPEG…)", "Téléversez une image (PNG, JPEG…)"),
    "attack.upload_help_digits": (
        "For the digit models: one digit, dark on light or light on dark; it is converted to 28×28 like MNIST.",
        "Pour les modèles de chiffres : un seul chiffre, foncé sur clair ou clair sur foncé ; il est converti en 28×28 comme MNIST.",
    ),
    "attack.upload_help_photo": (
        "For EfficientNet: a photo of an everyday object or animal; it is resized and centre-cropped to 224×224.",
        "Pour EfficientNet : une photo d'un objet courant ou d'un animal ; elle est redimensionnée et recadrée au centre en 224×224.",
    ),
    "attack.upload_first": ("Upload an image to attack.", "Téléversez une image à attaquer."),
    "attack.method": ("Attack", "Attaque"),
    "attack.method.fgsm": ("FGSM (one step)", "FGSM (un pas)"),
    "attack.method.pgd": ("PGD (many small steps)", "PGD (plusieurs petits pas)"),
    "attack.eps": ("Budget ε (grey levels out of 255, per pixel)", "Budget ε (niveaux de gris sur 255, par pixel)"),
    "attack.eps_help": (
        "Every pixel may change by at most ε/255 (L∞ norm). 8/255 is a classic budget for photos; digits need more.",
        "Chaque pixel peut changer d'au plus ε/255 (norme L∞). 8/255 est un budget classique pour les photos ; les chiffres en demandent plus.",
    ),
    "attack.steps": ("PGD steps", "Pas de PGD"),
    "attack.step_size": ("Step size (grey levels)", "Taille du pas (niveaux de gris)"),
    "attack.step_size_help": (
        "0 = automatic: 2.5 × ε / steps, as in Madry et al.",
        "0 = automatique : 2,5 × ε / pas, comme chez Madry et al.",
    ),
    "attack.targeted": ("Targeted: make the model answer a class I choose", "Ciblée : faire répondre au modèle la classe de mon choix"),
    "attack.target_class": ("Target class", "Classe cible"),
    "attack.run": ("Attack!", "Attaquer !"),
    "attack.original": ("Original", "Originale"),
    "attack.perturbation": ("Perturbation × {amp:g}", "Perturbation × {amp:g}"),
    "attack.perturbation_caption": (
        "Amplified {amp:g}× so you can see it: grey = unchanged, lighter/darker = pixel pushed up/down.",
        "Amplifiée {amp:g}× pour être visible : gris = inchangé, plus clair/plus foncé = pixel augmenté/diminué.",
    ),
    "attack.adversarial": ("Adversarial", "Adverse"),
    "attack.prediction": ("**{label}** ({score:.0%})", "**{label}** ({score:.0%})"),
    "attack.true_label": ("True class: {label}", "Vraie classe : {label}"),
    "attack.top5_before": ("Top-5 before the attack", "Top 5 avant l'attaque"),
    "attack.top5_after": ("Top-5 after the attack", "Top 5 après l'attaque"),
    "attack.probability": ("probability", "probabilité"),
    "attack.class": ("class", "classe"),
    "attack.flipped": (
        "The attack worked: **{before}** became **{after}** with a change of at most {linf:.1f}/255 per pixel.",
        "L'attaque a réussi : **{before}** est devenu **{after}** avec un changement d'au plus {linf:.1f}/255 par pixel.",
    ),
    "attack.target_reached": (
        "Targeted attack worked: the model now answers **{after}**, the class you chose.",
        "L'attaque ciblée a réussi : le modèle répond maintenant **{after}**, la classe choisie.",
    ),
    "attack.target_missed": (
        "The model did not reach the target **{target}** (it answers **{after}**): try a larger ε or more PGD steps.",
        "Le modèle n'a pas atteint la cible **{target}** (il répond **{after}**) : essayez un ε plus grand ou plus de pas PGD.",
    ),
    "attack.resisted": (
        "The model resisted: it still answers **{after}**. Try a larger ε, PGD instead of FGSM, or the standard (undefended) model.",
        "Le modèle a résisté : il répond toujours **{after}**. Essayez un ε plus grand, PGD au lieu de FGSM, ou le modèle standard (non défendu).",
    ),
    "attack.norms": (
        "Size of the change: L∞ = {linf:.1f}/255 (largest change of one pixel), L2 = {l2:.3f} (overall energy, pixels in [0, 1]), {changed:.0%} of the pixel values changed.",
        "Taille du changement : L∞ = {linf:.1f}/255 (plus grand changement d'un pixel), L2 = {l2:.3f} (énergie totale, pixels dans [0, 1]), {changed:.0%} des valeurs de pixels modifiées.",
    ),
    "attack.download": ("Download the adversarial PNG", "Télécharger le PNG adverse"),
    "attack.png_survives": (
        "Saved as PNG (8-bit pixels) the image still fools the model (**{label}**). Re-upload it here, or on the detection and medical pages, to see whether it transfers to other models (it often does not).",
        "Enregistrée en PNG (pixels sur 8 bits), l'image trompe toujours le modèle (**{label}**). Re-téléversez-la ici, ou sur les pages de détection et d'imagerie médicale, pour voir si elle se transfère à d'autres modèles (souvent non).",
    ),
    "attack.png_breaks": (
        "Honest warning: rounding the pixels to 8 bits for the PNG changes the answer to **{label}**: this adversarial example does not survive being saved. A slightly larger ε usually fixes it.",
        "Avertissement honnête : arrondir les pixels sur 8 bits pour le PNG change la réponse en **{label}** : cet exemple adverse ne survit pas à l'enregistrement. Un ε un peu plus grand corrige en général le problème.",
    ),
    "attack.curve_intro": (
        "Accuracy on {n:,} held-out test digits when every one of them is attacked, for the standard and the adversarially trained CNN. Computed once by the training script (`python -m dl_apps train mnist-cnn`), not on each visit.",
        "Précision sur {n:,} chiffres de test mis de côté quand chacun est attaqué, pour le CNN standard et le CNN entraîné de façon adverse. Calculée une fois par le script d'entraînement (`python -m dl_apps train mnist-cnn`), pas à chaque visite.",
    ),
    "attack.curve_missing": (
        "The robustness curve has not been computed yet: run `python -m dl_apps train mnist-cnn`.",
        "La courbe de robustesse n'a pas encore été calculée : lancez `python -m dl_apps train mnist-cnn`.",
    ),
    "attack.curve_eps": ("ε (grey levels out of 255)", "ε (niveaux de gris sur 255)"),
    "attack.curve_accuracy": ("accuracy under attack", "précision sous attaque"),
    "attack.curve_series": ("model · attack", "modèle · attaque"),
    "attack.curve_summary": (
        "At ε = {eps}/255 under PGD, the standard CNN keeps {standard:.0%} accuracy and the adversarially trained one {robust:.0%}; the price: clean accuracy {clean_standard:.1%} → {clean_robust:.1%} and about {cost:.0f}× the training time.",
        "À ε = {eps}/255 sous PGD, le CNN standard garde {standard:.0%} de précision et celui entraîné de façon adverse {robust:.0%} ; le prix : précision sans attaque {clean_standard:.1%} → {clean_robust:.1%} et environ {cost:.0f}× le temps d'entraînement.",
    ),
    "attack.model.mnist-cnn": ("standard CNN", "CNN standard"),
    "attack.model.mnist-cnn-robust": ("robust CNN (adversarial training)", "CNN robuste (entraînement adverse)"),
    "error.attack_bad_eps": (
        "ε must be between 0 and 1 in pixel units (0 to 255/255); you gave {eps}.",
        "ε doit être entre 0 et 1 en unités de pixel (0 à 255/255) ; vous avez donné {eps}.",
    ),
    "error.attack_bad_steps": (
        "PGD needs a whole number of steps, at least 1 (you gave {steps}).",
        "PGD demande un nombre entier de pas, au moins 1 (vous avez donné {steps}).",
    ),
    "error.attack_bad_step_size": ("The PGD step size must be above 0.", "La taille du pas de PGD doit être supérieure à 0."),
    "error.attack_bad_method": ("Unknown attack “{method}”: choose FGSM or PGD.", "Attaque inconnue « {method} » : choisissez FGSM ou PGD."),
    "error.attack_bad_target": (
        "Unknown target class “{target}”: pick a class name or a number from 0 to {last}.",
        "Classe cible inconnue « {target} » : choisissez un nom de classe ou un numéro de 0 à {last}.",
    ),
    "error.attack_bad_sample": ("There is no sample {sample}: choose 0 to {last}.", "Il n'y a pas d'exemple {sample} : choisissez de 0 à {last}."),
    "error.attack_hub_unavailable": (
        "The hub model {hub_id} could not be loaded: it needs internet the first time. Pick an offline model.",
        "Le modèle du hub {hub_id} n'a pas pu être chargé : il faut internet la première fois. Choisissez un modèle hors ligne.",
    ),
    "error.attack_file_not_found": ("Cannot read the file {path}.", "Impossible de lire le fichier {path}."),
    "notice.attack_steps_capped": (
        "{steps:,} PGD steps is too many for a shared machine: capped at {limit}.",
        "{steps:,} pas de PGD, c'est trop pour une machine partagée : limité à {limit}.",
    ),
    "notice.attack_inverted": (
        "Dark ink on light paper was inverted to white on black, like the MNIST digits the model learnt from.",
        "L'encre foncée sur papier clair a été inversée en blanc sur noir, comme les chiffres MNIST appris par le modèle.",
    ),
    "notice.attack_resized_digit": (
        "Your image ({width}×{height}) was fitted into 28×28 pixels, the size the digit model reads.",
        "Votre image ({width}×{height}) a été ramenée à 28×28 pixels, la taille que lit le modèle de chiffres.",
    ),
    "notice.attack_resized_photo": (
        "Your image ({width}×{height}) was resized and centre-cropped to {size}×{size} pixels, the size the model reads.",
        "Votre image ({width}×{height}) a été redimensionnée et recadrée au centre en {size}×{size} pixels, la taille que lit le modèle.",
    ),
    "attack.how": (
        "**Gradients with respect to the input.** Training computes how the loss changes when the *weights* change. An attack asks the same question about the *pixels*: backpropagation gives ∇ₓ loss, the direction in which each pixel should move to make the model more wrong.\n\n"
        "**FGSM** (Goodfellow et al., 2015) takes one step: x′ = x + ε · sign(∇ₓ loss). Using only the *sign* spends the whole budget ε on every pixel, which is the strongest change allowed by the L∞ norm. **PGD** (Madry et al., 2018) takes many small steps of size α, starting from a random point of the ε-box, and after each step clips every pixel back to within ε of the original and to [0, 1]. A **targeted** attack descends the loss of a chosen class instead of climbing the loss of the true one.\n\n"
        "**Why tiny changes flip decisions: linearity.** A network is close to linear over small regions. Changing each of n pixels by ε in the sign of the weight changes a linear score by ε · Σ|wᵢ| — it grows with the number of pixels. A 224×224×3 photo has 150,528 values: 1/255 on each adds up to a big move of the score, although no single pixel changed visibly. That is why photos need a much smaller ε than 28×28 digits.\n\n"
        "**The defence: adversarial training.** Train on attacked images instead of clean ones: each batch is replaced by its PGD attack (ε = 0.3, 5 steps) before the weight update. The model learns features that do not move with tiny pixel changes. The cost, measured in the model cards: a little clean accuracy and several times the training time (each batch needs 5 extra forward+backward passes). It protects against the threat it was trained for (L∞, this ε) — not against every attack.\n\n"
        "**Key settings.** ε: the budget per pixel. Steps and step size α: more steps find stronger attacks; α ≈ 2.5 ε / steps lets PGD cross the whole box. Random start: avoids starting exactly where the gradient is misleading.\n\n"
        "**Further reading.** Goodfellow, Shlens & Szegedy, *Explaining and Harnessing Adversarial Examples* (2015); Madry et al., *Towards Deep Learning Models Resistant to Adversarial Attacks* (2018); and the article this hub grew from, *Deep Learning : Les Réseaux de Neurones qui Révolutionnent l'IA* (Dr. Sionohmair, 2025), section “Vulnérabilité aux Attaques Adversariales”: it warns that networks can be fooled by imperceptible perturbations and that robustness research builds training defences — this page lets you measure both claims.",
        "**Des gradients par rapport à l'entrée.** L'entraînement calcule comment la perte change quand les *poids* changent. Une attaque pose la même question pour les *pixels* : la rétropropagation donne ∇ₓ perte, la direction dans laquelle chaque pixel doit bouger pour rendre le modèle plus faux.\n\n"
        "**FGSM** (Goodfellow et al., 2015) fait un seul pas : x′ = x + ε · signe(∇ₓ perte). N'utiliser que le *signe* dépense tout le budget ε sur chaque pixel, le plus fort changement permis par la norme L∞. **PGD** (Madry et al., 2018) fait plusieurs petits pas de taille α, en partant d'un point au hasard de la boîte ε, et après chaque pas ramène chaque pixel à moins de ε de l'original et dans [0, 1]. Une attaque **ciblée** descend la perte d'une classe choisie au lieu de monter celle de la vraie classe.\n\n"
        "**Pourquoi de minuscules changements font basculer la décision : la linéarité.** Un réseau est presque linéaire sur de petites régions. Changer chacun des n pixels de ε dans le sens du signe du poids change un score linéaire de ε · Σ|wᵢ| — cela croît avec le nombre de pixels. Une photo 224×224×3 compte 150 528 valeurs : 1/255 sur chacune fait au total un grand déplacement du score, alors qu'aucun pixel n'a changé de façon visible. C'est pourquoi les photos demandent un ε bien plus petit que les chiffres 28×28.\n\n"
        "**La défense : l'entraînement adverse.** On entraîne sur des images attaquées au lieu des images propres : chaque lot est remplacé par son attaque PGD (ε = 0,3, 5 pas) avant la mise à jour des poids. Le modèle apprend des caractéristiques qui ne bougent pas avec de minuscules changements de pixels. Le coût, mesuré dans les fiches des modèles : un peu de précision sans attaque et plusieurs fois le temps d'entraînement (chaque lot demande 5 passes avant+arrière de plus). Il protège contre la menace pour laquelle il a été entraîné (L∞, cet ε) — pas contre toutes les attaques.\n\n"
        "**Réglages clés.** ε : le budget par pixel. Nombre de pas et taille du pas α : plus de pas trouvent des attaques plus fortes ; α ≈ 2,5 ε / pas permet à PGD de traverser toute la boîte. Départ aléatoire : évite de partir exactement là où le gradient est trompeur.\n\n"
        "**Pour aller plus loin.** Goodfellow, Shlens et Szegedy, *Explaining and Harnessing Adversarial Examples* (2015) ; Madry et al., *Towards Deep Learning Models Resistant to Adversarial Attacks* (2018) ; et l'article à l'origine de ce hub, *Deep Learning : Les Réseaux de Neurones qui Révolutionnent l'IA* (Dr. Sionohmair, 2025), section « Vulnérabilité aux Attaques Adversariales » : il prévient que les réseaux peuvent être trompés par des perturbations imperceptibles et que la recherche en robustesse construit des défenses par l'entraînement — cette page permet de mesurer ces deux affirmations.",
    ),
}
