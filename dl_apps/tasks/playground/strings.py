"""Strings of the neural network playground page."""

STRINGS = {
    "nav.playground": ("Neural network playground", "Bac à sable de réseaux de neurones"),
    "gallery.playground.blurb": (
        "Train a small network live on a 2-D toy problem and watch its decision boundary take shape.",
        "Entraînez en direct un petit réseau sur un problème jouet en 2-D et regardez sa frontière de décision se dessiner.",
    ),
    "playground.title": ("Neural network playground", "Bac à sable de réseaux de neurones"),
    "playground.tagline": (
        "Pick a toy problem, build a network (layers, units, activation), press **Train** and watch it learn: the coloured background is what the network answers at every point, the dots are the data. Everything is trained here, live, on this server's CPU.",
        "Choisissez un problème jouet, construisez un réseau (couches, neurones, activation), appuyez sur **Entraîner** et regardez-le apprendre : le fond coloré est la réponse du réseau en chaque point, les points sont les données. Tout est entraîné ici, en direct, sur le processeur de ce serveur.",
    ),
    "playground.lessons": ("One-click lessons", "Leçons en un clic"),
    "playground.lesson.linear_xor": ("A line cannot split XOR", "Une droite ne sépare pas le XOR"),
    "playground.lesson.depth_spiral": ("Depth solves the spiral", "La profondeur résout la spirale"),
    "playground.lesson.high_lr": ("Too high a learning rate", "Un pas d'apprentissage trop grand"),
    "playground.lesson.overfit": ("Noise → overfitting, L2 fixes it", "Bruit → surapprentissage, L2 le corrige"),
    "playground.lesson_text.linear_xor": (
        "**No hidden layer, linear activation:** the network can only draw one straight line, and no straight line puts the two blue corners on one side and the two orange corners on the other. Its test accuracy stays near 50 % — a coin toss. Then try the fix: one hidden layer of 4 tanh units bends the boundary.",
        "**Aucune couche cachée, activation linéaire :** le réseau ne peut tracer qu'une seule droite, et aucune droite ne met les deux coins bleus d'un côté et les deux coins orange de l'autre. Sa précision de test reste vers 50 % — pile ou face. Essayez ensuite la correction : une couche cachée de 4 neurones tanh courbe la frontière.",
    ),
    "playground.lesson_text.depth_spiral": (
        "**Two hidden layers of 16 ReLU units** on the two interleaved spirals, from x and y only: each layer folds the plane a little more, and together they follow the arms. Then try the contrast: remove the hidden layers and the network is stuck with a straight line.",
        "**Deux couches cachées de 16 neurones ReLU** sur les deux spirales entrelacées, à partir de x et y seulement : chaque couche replie un peu plus le plan, et ensemble elles suivent les bras. Essayez ensuite le contraste : sans couche cachée, le réseau n'a plus qu'une droite.",
    ),
    "playground.lesson_text.high_lr": (
        "**Learning rate 10 with plain SGD:** every step overshoots the bottom of the valley, the loss jumps around or grows and the accuracy stays at chance. Then try the fix: a learning rate of 0.03 descends smoothly.",
        "**Pas d'apprentissage de 10 avec une SGD simple :** chaque pas dépasse le fond de la vallée, la perte saute ou grandit et la précision reste au hasard. Essayez ensuite la correction : un pas de 0,03 descend en douceur.",
    ),
    "playground.lesson_text.overfit": (
        "**Very noisy data, only 20 % of it for training, a big network:** the training loss goes to almost zero while the test loss climbs back up — the network learns the noise by heart (overfitting). Then try the fix: a little L2 regularisation keeps the weights small and the test loss low (dropout works too).",
        "**Données très bruitées, seulement 20 % pour l'entraînement, un gros réseau :** la perte d'entraînement tombe presque à zéro pendant que la perte de test remonte — le réseau apprend le bruit par cœur (surapprentissage). Essayez ensuite la correction : un peu de régularisation L2 garde les poids petits et la perte de test basse (le dropout marche aussi).",
    ),
    "playground.try_fix": ("Now try the fix", "Essayez la correction"),
    "playground.data": ("Data", "Données"),
    "playground.dataset": ("Data set", "Jeu de données"),
    "playground.dataset.circles": ("Circles", "Cercles"),
    "playground.dataset.xor": ("XOR", "XOR"),
    "playground.dataset.moons": ("Two moons", "Deux lunes"),
    "playground.dataset.spiral": ("Spiral", "Spirale"),
    "playground.dataset.blobs": ("Gaussian blobs", "Nuages gaussiens"),
    "playground.noise": ("Noise", "Bruit"),
    "playground.train_share": ("Share of points used for training", "Part des points pour l'entraînement"),
    "playground.features": ("Input features", "Caractéristiques d'entrée"),
    "playground.features_help": (
        "What the first layer sees. With x² and y² even a linear model can separate the circles: choosing good features by hand is what deep networks learn to do themselves.",
        "Ce que voit la première couche. Avec x² et y², même un modèle linéaire sépare les cercles : choisir de bonnes caractéristiques à la main, c'est ce que les réseaux profonds apprennent à faire seuls.",
    ),
    "playground.network": ("Network", "Réseau"),
    "playground.layers": ("Hidden layers", "Couches cachées"),
    "playground.units": ("Units in layer {n}", "Neurones de la couche {n}"),
    "playground.activation": ("Activation", "Activation"),
    "playground.training": ("Training", "Entraînement"),
    "playground.lr": ("Learning rate", "Pas d'apprentissage"),
    "playground.batch": ("Batch size", "Taille de lot"),
    "playground.optimizer": ("Optimiser", "Optimiseur"),
    "playground.optimizer.sgd": ("SGD", "SGD"),
    "playground.optimizer.momentum": ("SGD + momentum", "SGD + momentum"),
    "playground.optimizer.adam": ("Adam", "Adam"),
    "playground.l2": ("L2 regularisation", "Régularisation L2"),
    "playground.dropout": ("Dropout", "Dropout"),
    "playground.bn": ("Batch normalisation", "Normalisation par lot"),
    "playground.seed": ("Random seed", "Graine aléatoire"),
    "playground.epochs": ("Epochs per run", "Époques par session"),
    "playground.train": ("Train", "Entraîner"),
    "playground.pause": ("Pause", "Pause"),
    "playground.step": ("One epoch", "Une époque"),
    "playground.reset": ("Reset", "Réinitialiser"),
    "playground.status": (
        "Epoch {epoch:,} · {params:,} weights · {seconds:.1f} s of training",
        "Époque {epoch:,} · {params:,} poids · {seconds:.1f} s d'entraînement",
    ),
    "playground.running": ("Training…", "Entraînement en cours…"),
    "playground.finished": (
        "Run finished ({epochs:,} epochs at most, {seconds:.0f} s of training at most). Press Reset to start again, or change a setting.",
        "Session terminée ({epochs:,} époques au plus, {seconds:.0f} s d'entraînement au plus). Appuyez sur Réinitialiser pour recommencer, ou changez un réglage.",
    ),
    "playground.diverged": (
        "The loss exploded: the learning rate is too high for this network. Lower it and press Reset.",
        "La perte a explosé : le pas d'apprentissage est trop grand pour ce réseau. Baissez-le et appuyez sur Réinitialiser.",
    ),
    "playground.not_started": ("Press **Train** (or **One epoch**) to start.", "Appuyez sur **Entraîner** (ou **Une époque**) pour commencer."),
    "playground.boundary": ("Decision boundary", "Frontière de décision"),
    "playground.boundary_caption": (
        "Background: the network's answer (orange = class 0, blue = class 1, pale = unsure). White-rimmed dots: training points; dark-rimmed dots: test points, never used to train.",
        "Fond : la réponse du réseau (orange = classe 0, bleu = classe 1, pâle = hésitant). Points cerclés de blanc : points d'entraînement ; cerclés de sombre : points de test, jamais utilisés pour entraîner.",
    ),
    "playground.show_test": ("Show test points", "Afficher les points de test"),
    "playground.loss": ("Loss per epoch", "Perte par époque"),
    "playground.loss_train": ("training loss", "perte d'entraînement"),
    "playground.loss_test": ("test loss", "perte de test"),
    "playground.epoch": ("epoch", "époque"),
    "playground.train_accuracy": ("Training accuracy", "Précision d'entraînement"),
    "playground.test_accuracy": ("Test accuracy", "Précision de test"),
    "playground.train_loss_metric": ("Training loss", "Perte d'entraînement"),
    "playground.test_loss_metric": ("Test loss", "Perte de test"),
    "playground.units_title": ("What each unit computes", "Ce que calcule chaque neurone"),
    "playground.units_caption": (
        "Each small map is one unit's output over the whole plane (blue = high, orange = low). The first layer combines the inputs into simple shapes; the next layers combine those shapes.",
        "Chaque petite carte est la sortie d'un neurone sur tout le plan (bleu = élevée, orange = basse). La première couche combine les entrées en formes simples ; les couches suivantes combinent ces formes.",
    ),
    "playground.inputs_row": ("Inputs", "Entrées"),
    "playground.layer_row": ("Hidden layer {n}", "Couche cachée {n}"),
    "playground.no_hidden": (
        "No hidden layer: the output is a weighted sum of the inputs, so the boundary is a straight line in the chosen features.",
        "Aucune couche cachée : la sortie est une somme pondérée des entrées, la frontière est donc une droite dans les caractéristiques choisies.",
    ),
    "playground.link": (
        "The whole configuration is in this page's address: copy the link to share exactly this set-up.",
        "Toute la configuration est dans l'adresse de cette page : copiez le lien pour partager exactement ce réglage.",
    ),
    "notice.playground_query_invalid": (
        "The link's value {param}={value} cannot be used: {used} instead.",
        "La valeur {param}={value} du lien est inutilisable : {used} à la place.",
    ),
    "notice.playground_query_clamped": (
        "The link's value {param}={value} is out of range: {used} instead.",
        "La valeur {param}={value} du lien est hors limites : {used} à la place.",
    ),
    "notice.playground_query_repeated": (
        "The link gives {param} {times} times: the last one is used.",
        "Le lien donne {param} {times} fois : la dernière valeur est utilisée.",
    ),
    "playground.how": (
        "**Neurons and layers.** Each unit (neuron) takes a weighted sum of its inputs, adds a bias and passes the result through an *activation function*. A layer is a row of such units; the network stacks layers, and the output layer gives one score per class, turned into probabilities by a **softmax**.\n\n"
        "**Why activations matter.** Without a non-linear activation (choose *linear*) any number of layers collapses into one weighted sum: a straight boundary. **ReLU** (max(0, x)) bends the plane into pieces, **tanh** and **sigmoid** squash it smoothly; ReLU is today's default for hidden layers because its gradient does not fade.\n\n"
        "**Learning = going down the loss.** The loss (cross-entropy) measures how wrong the probabilities are on the training points. **Backpropagation** computes, layer by layer from the output back to the input, how much each weight contributed to that error (the gradient); **gradient descent** then moves every weight a small step downhill. The *learning rate* is the step size; a *batch* is the handful of points used for one step (stochastic gradient descent); **momentum** and **Adam** keep a memory of past steps to go faster and steadier.\n\n"
        "**Generalising, not memorising.** The test points are never used for training: when the training loss keeps falling while the test loss rises, the network is fitting the noise (*overfitting*). **L2** adds the squared weights to the loss, so large weights cost something; **dropout** switches off a random share of units at each step, so no unit can rely on another; **batch normalisation** rescales each layer's outputs over the batch, which makes training steadier at higher learning rates.\n\n"
        "**Same code, real data.** The network here is built by the same function (`dl_apps/nets/mlp.py`) as the plain MLP of the *CNN on digits* page and the head of *Teach it your classes*: only the inputs change, from 2 coordinates to 784 pixels or 1,280 image features. Runs are seeded (same settings → same numbers), limited to {epochs:,} epochs and {seconds:.0f} s, on one CPU thread.",
        "**Neurones et couches.** Chaque neurone fait une somme pondérée de ses entrées, ajoute un biais et passe le résultat dans une *fonction d'activation*. Une couche est une rangée de ces neurones ; le réseau empile des couches, et la couche de sortie donne un score par classe, transformé en probabilités par un **softmax**.\n\n"
        "**Pourquoi l'activation compte.** Sans activation non linéaire (choisissez *linear*), n'importe quel nombre de couches se réduit à une seule somme pondérée : une frontière droite. **ReLU** (max(0, x)) plie le plan en morceaux, **tanh** et **sigmoïde** l'écrasent en douceur ; ReLU est aujourd'hui le choix par défaut des couches cachées car son gradient ne s'éteint pas.\n\n"
        "**Apprendre = descendre la perte.** La perte (entropie croisée) mesure à quel point les probabilités sont fausses sur les points d'entraînement. La **rétropropagation** calcule, couche par couche de la sortie vers l'entrée, la part de chaque poids dans cette erreur (le gradient) ; la **descente de gradient** déplace alors chaque poids d'un petit pas vers le bas. Le *pas d'apprentissage* est la taille de ce pas ; un *lot* est la poignée de points utilisée pour un pas (descente de gradient stochastique) ; le **momentum** et **Adam** gardent la mémoire des pas précédents pour aller plus vite et plus régulièrement.\n\n"
        "**Généraliser, pas mémoriser.** Les points de test ne servent jamais à l'entraînement : quand la perte d'entraînement continue de baisser alors que celle de test remonte, le réseau apprend le bruit (*surapprentissage*). **L2** ajoute les poids au carré à la perte, les grands poids ont donc un coût ; le **dropout** éteint au hasard une partie des neurones à chaque pas, aucun ne peut compter sur un autre ; la **normalisation par lot** remet à l'échelle les sorties de chaque couche sur le lot, ce qui stabilise l'entraînement avec des pas plus grands.\n\n"
        "**Même code, vraies données.** Le réseau est construit ici par la même fonction (`dl_apps/nets/mlp.py`) que le MLP simple de la page *CNN sur des chiffres* et la tête de *Apprenez-lui vos classes* : seules les entrées changent, de 2 coordonnées à 784 pixels ou 1 280 caractéristiques d'image. Les sessions sont initialisées par une graine (mêmes réglages → mêmes chiffres), limitées à {epochs:,} époques et {seconds:.0f} s, sur un seul fil de calcul.",
    ),
}
