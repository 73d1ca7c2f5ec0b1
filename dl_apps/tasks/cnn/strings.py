"""Strings of the CNN on digits page."""

STRINGS = {
    "nav.cnn": ("CNN on digits", "CNN sur des chiffres"),
    "gallery.cnn.blurb": (
        "Train a small convolutional network on handwritten digits in under a minute, then look inside it.",
        "Entraînez en moins d'une minute un petit réseau convolutif sur des chiffres manuscrits, puis regardez dedans.",
    ),
    "cnn.title": ("CNN on digits", "CNN sur des chiffres"),
    "cnn.tagline": (
        "From the toy problem to real data: a small convolutional network (CNN) learns 4,000 handwritten digits live on this CPU, beside a plain network of the playground's kind. Then open it up: its filters, what each layer sees, and where it goes wrong.",
        "Du problème jouet aux vraies données : un petit réseau convolutif (CNN) apprend en direct 4 000 chiffres manuscrits sur ce processeur, à côté d'un réseau simple du même type que celui du bac à sable. Puis ouvrez-le : ses filtres, ce que voit chaque couche, et où il se trompe.",
    ),
    "cnn.epochs": ("Epochs", "Époques"),
    "cnn.train": ("Train both networks", "Entraîner les deux réseaux"),
    "cnn.training": ("Epoch {epoch} of {total}…", "Époque {epoch} sur {total}…"),
    "cnn.not_trained": ("Press **Train** to start (about 10 s per epoch on a busy server).", "Appuyez sur **Entraîner** pour commencer (environ 10 s par époque sur un serveur chargé)."),
    "cnn.accuracy_chart": ("Held-out accuracy after each epoch (1,000 digits never seen in training)", "Précision sur 1 000 chiffres jamais vus, après chaque époque"),
    "cnn.series_cnn": ("CNN", "CNN"),
    "cnn.series_mlp": ("plain MLP", "MLP simple"),
    "cnn.epoch": ("epoch", "époque"),
    "cnn.compare": ("Parameters against accuracy", "Paramètres face à la précision"),
    "cnn.col.network": ("network", "réseau"),
    "cnn.col.parameters": ("weights", "poids"),
    "cnn.col.accuracy": ("held-out accuracy", "précision (test)"),
    "cnn.col.seconds": ("training seconds", "secondes d'entraînement"),
    "cnn.row.cnn": ("this page's CNN (trained now)", "le CNN de cette page (entraîné maintenant)"),
    "cnn.row.mlp": ("plain MLP, 784-64-10 (trained now)", "MLP simple, 784-64-10 (entraîné maintenant)"),
    "cnn.row.reference": ("the attack page's CNN (trained by its script, {epochs} epochs)", "le CNN de la page des attaques (entraîné par son script, {epochs} époques)"),
    "cnn.compare_caption": (
        "The CNN reuses the same small 3×3 filters at every position of the image, so it needs far fewer weights than the MLP, which has one weight per pixel and unit.",
        "Le CNN réutilise les mêmes petits filtres 3×3 à chaque position de l'image : il lui faut bien moins de poids qu'au MLP, qui a un poids par pixel et par neurone.",
    ),
    "cnn.filters": ("First-layer filters", "Filtres de la première couche"),
    "cnn.filters_caption": ("Each 3×3 filter, enlarged (blue = positive weight, orange = negative): most detect an edge or a stroke in one direction.", "Chaque filtre 3×3, agrandi (bleu = poids positif, orange = négatif) : la plupart détectent un bord ou un trait dans une direction."),
    "cnn.maps": ("What each layer sees", "Ce que voit chaque couche"),
    "cnn.digit_index": ("Held-out digit number", "Numéro du chiffre de test"),
    "cnn.upload": ("…or upload a photo of a digit", "…ou téléversez la photo d'un chiffre"),
    "cnn.answer": ("The CNN reads **{digit}** ({score:.0%}).", "Le CNN lit **{digit}** ({score:.0%})."),
    "cnn.layer": ("Layer {n}: {name}, {channels} maps of {size}×{size}", "Couche {n} : {name}, {channels} cartes de {size}×{size}"),
    "cnn.maps_caption": ("Early layers respond to edges and strokes; after pooling the maps get smaller and more abstract: parts of digits rather than pixels.", "Les premières couches réagissent aux bords et aux traits ; après le pooling, les cartes rétrécissent et deviennent plus abstraites : des morceaux de chiffres plutôt que des pixels."),
    "cnn.confusion": ("Confusion matrix (rows: true digit, columns: the CNN's answer)", "Matrice de confusion (lignes : vrai chiffre, colonnes : réponse du CNN)"),
    "cnn.mistakes": ("Its most confident mistakes", "Ses erreurs les plus sûres d'elles"),
    "cnn.mistake": ("{true} read as {guess} ({confidence:.0%})", "{true} lu comme {guess} ({confidence:.0%})"),
    "error.cnn_bad_number": ("Epochs and seed must be whole numbers in range.", "Les époques et la graine doivent être des nombres entiers dans les limites."),
    "cnn.how": (
        "**Convolutions.** A convolution layer slides small filters (here 3×3) over the image; each filter computes, at every position, a weighted sum of the pixels under it, giving a *feature map*. The same weights are used everywhere, so a stroke is found wherever it is, with few parameters.\n\n"
        "**A hierarchy of features.** ReLU keeps the positive responses and *max pooling* halves the map, keeping the strongest response of each 2×2 block. The first layer's maps respond to edges and strokes; the second layer combines them into loops, corners and bars; the final linear layer and its softmax turn those into one probability per digit. Bigger networks (ResNet, EfficientNet) stack dozens of such layers: edges and textures first, objects later.\n\n"
        "**The same training as the playground.** Cross-entropy loss, backpropagation and the Adam optimiser, in mini-batches of 32, for a few epochs; the MLP beside it is built by the very function of the playground, now with 784 pixel inputs. The 1,000 test digits are never used for training: the curves and the confusion matrix are honest.\n\n"
        "**Analyse the errors.** The confusion matrix shows which digits get mixed up (4 and 9, 3 and 5…); the most confident mistakes are often badly written digits — or labels a human would dispute.",
        "**Convolutions.** Une couche de convolution fait glisser de petits filtres (ici 3×3) sur l'image ; chaque filtre calcule, à chaque position, une somme pondérée des pixels qu'il couvre, ce qui donne une *carte de caractéristiques*. Les mêmes poids servent partout : un trait est trouvé où qu'il soit, avec peu de paramètres.\n\n"
        "**Une hiérarchie de caractéristiques.** ReLU garde les réponses positives et le *max pooling* divise la carte par deux en gardant la plus forte réponse de chaque bloc 2×2. Les cartes de la première couche réagissent aux bords et aux traits ; la seconde couche les combine en boucles, coins et barres ; la couche linéaire finale et son softmax en font une probabilité par chiffre. Les grands réseaux (ResNet, EfficientNet) empilent des dizaines de telles couches : contours et textures d'abord, objets ensuite.\n\n"
        "**Le même entraînement que le bac à sable.** Perte d'entropie croisée, rétropropagation et optimiseur Adam, par lots de 32, pendant quelques époques ; le MLP d'à côté est construit par la même fonction que dans le bac à sable, avec cette fois 784 pixels en entrée. Les 1 000 chiffres de test ne servent jamais à l'entraînement : les courbes et la matrice de confusion sont honnêtes.\n\n"
        "**Analyser les erreurs.** La matrice de confusion montre quels chiffres sont confondus (4 et 9, 3 et 5…) ; les erreurs les plus sûres d'elles sont souvent des chiffres mal écrits — ou des étiquettes qu'un humain contesterait.",
    ),
}
