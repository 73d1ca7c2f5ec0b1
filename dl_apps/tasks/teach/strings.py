"""Strings of the Teach it your classes page."""

STRINGS = {
    "nav.teach": ("Teach it your classes", "Apprenez-lui vos classes"),
    "gallery.teach.blurb": (
        "Name 2 to 5 classes, show a few examples from your camera or photos, and a network learns them in seconds.",
        "Nommez 2 à 5 classes, montrez quelques exemples avec votre caméra ou vos photos, et un réseau les apprend en quelques secondes.",
    ),
    "teach.title": ("Teach it your classes", "Apprenez-lui vos classes"),
    "teach.tagline": (
        "Invent your own classes (a mug and a pen, thumbs up and thumbs down…), give each a few examples from the camera, your photos or the bundled samples, and train. A network pre-trained on a million photos does the seeing; only a tiny final layer learns your classes, in about a second.",
        "Inventez vos propres classes (une tasse et un stylo, pouce levé et pouce baissé…), donnez à chacune quelques exemples avec la caméra, vos photos ou les échantillons fournis, puis entraînez. Un réseau pré-entraîné sur un million de photos se charge de voir ; seule une toute petite dernière couche apprend vos classes, en une seconde environ.",
    ),
    "teach.classes": ("Your classes", "Vos classes"),
    "teach.n_classes": ("Number of classes", "Nombre de classes"),
    "teach.class_name": ("Name of class {n}", "Nom de la classe {n}"),
    "teach.default_name": ("class {n}", "classe {n}"),
    "teach.examples_count": ("{n} example(s)", "{n} exemple(s)"),
    "teach.add_upload": ("Add photos", "Ajouter des photos"),
    "teach.add_sample": ("…or use a bundled photo", "…ou utilisez une photo fournie"),
    "teach.add_sample_button": ("Add 5 views of it", "En ajouter 5 vues"),
    "teach.sample_note": (
        "A bundled photo gives 5 different crops of the same picture: enough to try, but real examples of your own vary more.",
        "Une photo fournie donne 5 recadrages différents de la même image : assez pour essayer, mais vos propres exemples varient davantage.",
    ),
    "teach.sample.dog": ("dog", "chien"),
    "teach.sample.cat": ("cat", "chat"),
    "teach.sample.coffee": ("coffee", "café"),
    "teach.sample.horses": ("horses", "chevaux"),
    "teach.sample.eagle": ("eagle", "aigle"),
    "teach.sample.rocket": ("rocket", "fusée"),
    "teach.sample.astronaut": ("astronaut", "astronaute"),
    "teach.camera_enable": ("Use the camera", "Utiliser la caméra"),
    "teach.camera": ("Snapshot for class {name}", "Photo pour la classe {name}"),
    "teach.camera_target": ("Snapshots go to", "Les photos vont dans"),
    "teach.clear": ("Remove this class's examples", "Retirer les exemples de cette classe"),
    "teach.train": ("Train the head", "Entraîner la tête"),
    "teach.trained": (
        "Head trained on {n} examples in {ms:,.0f} ms (features: {feature_ms:,.0f} ms per image).",
        "Tête entraînée sur {n} exemples en {ms:,.0f} ms (caractéristiques : {feature_ms:,.0f} ms par image).",
    ),
    "teach.retrain": ("Your examples changed: train again to use them.", "Vos exemples ont changé : entraînez à nouveau pour les utiliser."),
    "teach.test": ("Try it on a new image", "Essayez sur une nouvelle image"),
    "teach.test_upload": ("Upload an image to classify", "Téléversez une image à classer"),
    "teach.test_camera": ("Snapshot to classify", "Photo à classer"),
    "teach.test_sample": ("…or a bundled photo", "…ou une photo fournie"),
    "teach.verdict": ("It looks like **{label}** ({score:.0%}).", "Cela ressemble à **{label}** ({score:.0%})."),
    "teach.probabilities": ("Probability of each of your classes", "Probabilité de chacune de vos classes"),
    "teach.curve": ("Accuracy against examples per class (leave-one-out)", "Précision selon le nombre d'exemples par classe (leave-one-out)"),
    "teach.curve_caption": (
        "Each of your examples is hidden in turn, a head is trained on k examples of each class, and it must name the hidden one. More examples per class usually means a steadier answer.",
        "Chacun de vos exemples est caché à tour de rôle, une tête est entraînée sur k exemples de chaque classe, et elle doit nommer celui qui est caché. Plus d'exemples par classe donne en général une réponse plus sûre.",
    ),
    "teach.curve_needs": ("Give every class at least 2 examples to see the curve.", "Donnez au moins 2 exemples à chaque classe pour voir la courbe."),
    "teach.per_class": ("examples per class", "exemples par classe"),
    "teach.accuracy": ("accuracy", "précision"),
    "teach.how": (
        "**Frozen features.** EfficientNet-Lite0 is a convolutional network trained by Google on 1.2 million ImageNet photos. Its early layers detect edges and colours, the middle ones textures and parts, the last ones whole objects; we cut it just before its final ImageNet layer, so each photo becomes a list of 1,280 numbers describing what it contains. Those weights are **frozen**: your examples never change them.\n\n"
        "**A small head.** On top we train one layer of weights followed by a softmax (the playground's network with no hidden layer, from the same code): 1,280 inputs, one output per class of yours. With a handful of examples per class, a few hundred gradient steps take well under a second on a CPU. This is **transfer learning**: reuse what a big network learnt on a big data set, and learn only the last step on yours — the way to go when data is scarce.\n\n"
        "**Why it can fail.** The head can only use what the features see. If your two classes differ by something ImageNet photos never needed (left hand vs right hand, a tiny detail), or if every example of one class has the same background, the head may learn the background. Vary your examples; watch the leave-one-out curve.\n\n"
        "**Privacy.** Your snapshots and photos stay in your session on this server, in memory; nothing is saved or sent anywhere.",
        "**Caractéristiques gelées.** EfficientNet-Lite0 est un réseau convolutif entraîné par Google sur 1,2 million de photos d'ImageNet. Ses premières couches détectent des contours et des couleurs, celles du milieu des textures et des parties, les dernières des objets entiers ; nous le coupons juste avant sa dernière couche ImageNet, si bien que chaque photo devient une liste de 1 280 nombres qui décrit son contenu. Ces poids sont **gelés** : vos exemples ne les modifient jamais.\n\n"
        "**Une petite tête.** Par-dessus, nous entraînons une seule couche de poids suivie d'un softmax (le réseau du bac à sable sans couche cachée, issu du même code) : 1 280 entrées, une sortie par classe. Avec quelques exemples par classe, quelques centaines de pas de gradient prennent bien moins d'une seconde sur un processeur. C'est l'**apprentissage par transfert** : réutiliser ce qu'un grand réseau a appris sur un grand jeu de données, et n'apprendre que la dernière étape sur le vôtre — la bonne méthode quand les données sont rares.\n\n"
        "**Pourquoi cela peut échouer.** La tête ne peut utiliser que ce que voient les caractéristiques. Si vos deux classes diffèrent par un détail dont les photos d'ImageNet n'ont jamais eu besoin (main gauche ou main droite, un minuscule détail), ou si tous les exemples d'une classe ont le même arrière-plan, la tête risque d'apprendre l'arrière-plan. Variez vos exemples ; regardez la courbe leave-one-out.\n\n"
        "**Confidentialité.** Vos photos restent dans votre session sur ce serveur, en mémoire ; rien n'est enregistré ni envoyé ailleurs.",
    ),
    "error.teach_empty_name": ("Every class needs a name.", "Chaque classe a besoin d'un nom."),
    "error.teach_duplicate_name": ("Two classes are called “{name}”: give each class its own name.", "Deux classes s'appellent « {name} » : donnez à chaque classe son propre nom."),
    "error.teach_too_few_classes": ("Give at least {minimum} classes, each with examples.", "Donnez au moins {minimum} classes, chacune avec des exemples."),
    "error.teach_too_many_classes": ("At most {maximum} classes.", "Au plus {maximum} classes."),
    "error.teach_no_examples": ("The class “{name}” has no example yet: add a photo, a snapshot or a bundled sample.", "La classe « {name} » n'a encore aucun exemple : ajoutez une photo, une prise de vue ou un échantillon fourni."),
    "error.teach_not_trained": ("Train the head first.", "Entraînez d'abord la tête."),
    "error.teach_bad_example": ("An example must be written LABEL=FILE.", "Un exemple s'écrit ÉTIQUETTE=FICHIER."),
    "error.teach_no_image": ("Give an image to classify.", "Donnez une image à classer."),
    "error.teach_missing_file": ("No such file: {path}", "Fichier introuvable : {path}"),
}
