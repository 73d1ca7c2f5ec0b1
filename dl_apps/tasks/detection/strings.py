"""Strings of the object detection page."""

STRINGS = {
    "detection.title": ("Object detection", "Détection d'objets"),
    "detection.tagline": (
        "Pick a photo, upload one or take a snapshot: a neural network (**YOLOv3-tiny**, 80 everyday object classes from the COCO data set) draws a box around each object it recognises, with its name and how sure it is.",
        "Choisissez une photo, téléversez-en une ou prenez un cliché : un réseau de neurones (**YOLOv3-tiny**, 80 classes d'objets courants du jeu de données COCO) entoure chaque objet qu'il reconnaît, avec son nom et son degré de certitude.",
    ),
    "detection.sample.dog": ("🐕 Dog & bicycle", "🐕 Chien et vélo"),
    "detection.sample.person": ("🧍 Person, horse, dog", "🧍 Personne, cheval, chien"),
    "detection.sample.horses": ("🐎 Horses", "🐎 Chevaux"),
    "detection.sample.eagle": ("🦅 Eagle", "🦅 Aigle"),
    "detection.sample.coffee": ("☕ Coffee cup", "☕ Tasse de café"),
    "detection.sample_source": ("Sample photo: {source}", "Photo d'exemple : {source}"),
    "detection.tab_upload": ("Upload a photo", "Téléverser une photo"),
    "detection.tab_camera": ("Camera snapshot", "Cliché de la caméra"),
    "detection.upload": ("A photo (JPEG, PNG, WebP, BMP, GIF, TIFF)", "Une photo (JPEG, PNG, WebP, BMP, GIF, TIFF)"),
    "detection.camera_enable": ("Turn on my camera", "Activer ma caméra"),
    "detection.camera": ("Take a snapshot", "Prendre un cliché"),
    "detection.camera_help": (
        "The snapshot stays on this server only for the time of the detection; nothing is stored.",
        "Le cliché ne reste sur ce serveur que le temps de la détection ; rien n'est conservé.",
    ),
    "detection.tab_live": ("Live webcam", "Webcam en direct"),
    "detection.live_enable": ("Turn on live video", "Activer la vidéo en direct"),
    "detection.live_help": (
        "Press START and allow the camera: every frame the server can keep up with is annotated (the others are skipped). The settings below apply live.",
        "Appuyez sur DÉMARRER et autorisez la caméra : chaque image que le serveur peut suivre est annotée (les autres sont sautées). Les réglages ci-dessous s'appliquent en direct.",
    ),
    "detection.live_unavailable": (
        "Live video needs the optional package streamlit-webrtc on the server (pip install streamlit-webrtc). Use the camera snapshot meanwhile.",
        "La vidéo en direct nécessite le paquet optionnel streamlit-webrtc sur le serveur (pip install streamlit-webrtc). Utilisez le cliché de la caméra en attendant.",
    ),
    "detection.live_stats": ("{frames} frames annotated, last one in {ms} ms", "{frames} images annotées, la dernière en {ms} ms"),
    "detection.live.start": ("START", "DÉMARRER"),
    "detection.live.stop": ("STOP", "ARRÊTER"),
    "detection.live.select_device": ("Select camera", "Choisir la caméra"),
    "detection.live.device_ask_permission": ("Please allow the camera in your browser.", "Autorisez la caméra dans votre navigateur."),
    "detection.live.device_not_available": ("No camera found.", "Aucune caméra trouvée."),
    "detection.live.device_access_denied": ("Camera access was denied.", "L'accès à la caméra a été refusé."),
    "detection.live.media_api_not_available": (
        "This browser cannot share a camera here (it needs https or localhost).",
        "Ce navigateur ne peut pas partager de caméra ici (il faut https ou localhost).",
    ),
    "detection.pick_input": (
        "Choose a sample above, upload a photo or take a snapshot to see the detections.",
        "Choisissez un exemple ci-dessus, téléversez une photo ou prenez un cliché pour voir les détections.",
    ),
    "detection.input_name": ("Input: {name}", "Entrée : {name}"),
    "detection.controls": ("Settings", "Réglages"),
    "detection.threshold": ("Confidence threshold", "Seuil de confiance"),
    "detection.threshold_help": (
        "Boxes whose score (objectness × class probability) is below this are dropped. Lower it to see what the network is unsure about.",
        "Les boîtes dont le score (objectivité × probabilité de la classe) est inférieur sont écartées. Baissez-le pour voir ce dont le réseau doute.",
    ),
    "detection.iou": ("NMS overlap (IoU) threshold", "Seuil de recouvrement NMS (IoU)"),
    "detection.iou_help": (
        "Non-maximum suppression: of two boxes of the same class overlapping more than this, only the best is kept. Raise it to 1 to see the duplicates NMS removes.",
        "Suppression des non-maxima : de deux boîtes de même classe qui se recouvrent plus que ce seuil, seule la meilleure est gardée. Montez-le à 1 pour voir les doublons que la NMS supprime.",
    ),
    "detection.input_size": ("Network input size (pixels)", "Taille d'entrée du réseau (pixels)"),
    "detection.input_size_help": (
        "The photo is shrunk to a square of this side (keeping its proportions) before the network sees it. Bigger: small objects are found, but it is slower. Must be a multiple of 32.",
        "La photo est réduite à un carré de ce côté (en gardant ses proportions) avant d'être vue par le réseau. Plus grand : les petits objets sont trouvés, mais c'est plus lent. Multiple de 32.",
    ),
    "detection.input_size_fixed": ("This model always works at {size}×{size} pixels.", "Ce modèle travaille toujours en {size}×{size} pixels."),
    "detection.classes": ("Only show these classes", "N'afficher que ces classes"),
    "detection.classes_placeholder": ("All classes", "Toutes les classes"),
    "detection.side_by_side": ("Original and annotated side by side", "Original et annoté côte à côte"),
    "detection.original": ("Original", "Original"),
    "detection.annotated": ("Detections", "Détections"),
    "detection.found": ("{n} object(s) found", "{n} objet(s) trouvé(s)"),
    "detection.none_found": (
        "No object above the confidence threshold. Try lowering the threshold or another input size: YOLOv3-tiny often misses objects that are very small, or so large they fill the whole picture.",
        "Aucun objet au-dessus du seuil de confiance. Essayez de baisser le seuil ou une autre taille d'entrée : YOLOv3-tiny rate souvent les objets très petits, ou si grands qu'ils remplissent toute l'image.",
    ),
    "detection.counts": ("Objects per class", "Objets par classe"),
    "detection.table": ("All detections", "Toutes les détections"),
    "detection.col.label": ("class", "classe"),
    "detection.col.count": ("count", "nombre"),
    "detection.col.score": ("confidence", "confiance"),
    "detection.col.box": ("box (x1, y1, x2, y2) in pixels", "boîte (x1, y1, x2, y2) en pixels"),
    "detection.download": ("Download the annotated image (PNG)", "Télécharger l'image annotée (PNG)"),
    "detection.image_size": ("Image: {width}×{height} pixels, network input {size}×{size}", "Image : {width}×{height} pixels, entrée du réseau {size}×{size}"),
    "error.detection_bad_threshold": ("The confidence threshold must be between 0 and 1.", "Le seuil de confiance doit être compris entre 0 et 1."),
    "error.detection_bad_iou": ("The NMS IoU threshold must be above 0 and at most 1.", "Le seuil IoU de la NMS doit être supérieur à 0 et au plus 1."),
    "error.detection_bad_input_size": (
        "The input size must be a multiple of 32 between 32 and 1024.",
        "La taille d'entrée doit être un multiple de 32 compris entre 32 et 1024.",
    ),
    "notice.detection_tiny_image": (
        "The image is only {width}×{height} pixels: it was enlarged to the network's input size, so expect few detections.",
        "L'image ne fait que {width}×{height} pixels : elle a été agrandie à la taille d'entrée du réseau, attendez-vous à peu de détections.",
    ),
    "detection.how": (
        "**A grid of detectors.** YOLO (*You Only Look Once*) looks at the whole picture in a single pass. The photo is shrunk to a square (416×416 by default) with grey bands so that its proportions are kept (*letterbox*), then a convolutional network turns it into two grids: 13×13 cells for big objects and 26×26 cells for smaller ones (one cell per 32 or 16 pixels).\n\n"
        "**Anchors.** Each cell proposes 3 boxes, each starting from an *anchor*: a typical box shape learnt from the training data (tall for people, wide for cars…). The network only predicts how to shift and stretch the anchor, which is much easier than guessing a box from nothing.\n\n"
        "**Confidence.** For every box the network also predicts an *objectness* (is there an object here at all?) and a probability for each of the 80 COCO classes. The score shown is objectness × class probability; the **confidence threshold** slider drops boxes below it.\n\n"
        "**Non-maximum suppression (NMS).** Neighbouring cells often see the same dog, so several boxes overlap. NMS keeps the best one and removes the others of the same class whose overlap (IoU: intersection area ÷ union area) is above the **IoU threshold**. Set it to 1 to see the duplicates.\n\n"
        "**Why tiny models miss things.** YOLOv3-tiny has 8.9 million weights (the full YOLOv3 has 62 million): it is fast on a laptop CPU but coarse. An object smaller than a grid cell (a far-away bird) may vanish when the photo is shrunk, and one that fills the whole picture is larger than its biggest anchor. Change the **input size** to see both effects: a larger input finds small objects but costs time.\n\n"
        "**The people-only model.** SSDLite-MobileNetV2 uses cheaper *depthwise* convolutions and knows a single class: it is faster, a trade-off between speed and what the model can recognise.",
        "**Une grille de détecteurs.** YOLO (*You Only Look Once*, « on ne regarde qu'une fois ») analyse toute l'image en une seule passe. La photo est réduite à un carré (416×416 par défaut) avec des bandes grises pour garder ses proportions (*letterbox*), puis un réseau convolutif la transforme en deux grilles : 13×13 cases pour les grands objets et 26×26 pour les plus petits (une case pour 32 ou 16 pixels).\n\n"
        "**Ancres.** Chaque case propose 3 boîtes, chacune partant d'une *ancre* : une forme de boîte typique apprise sur les données (haute pour une personne, large pour une voiture…). Le réseau prédit seulement comment décaler et étirer l'ancre, ce qui est bien plus facile que d'inventer une boîte.\n\n"
        "**Confiance.** Pour chaque boîte, le réseau prédit aussi une *objectivité* (y a-t-il un objet ici ?) et une probabilité pour chacune des 80 classes de COCO. Le score affiché est objectivité × probabilité de la classe ; le curseur **seuil de confiance** écarte les boîtes en dessous.\n\n"
        "**Suppression des non-maxima (NMS).** Des cases voisines voient souvent le même chien : plusieurs boîtes se chevauchent. La NMS garde la meilleure et supprime les autres de même classe dont le recouvrement (IoU : aire de l'intersection ÷ aire de l'union) dépasse le **seuil IoU**. Mettez-le à 1 pour voir les doublons.\n\n"
        "**Pourquoi un petit modèle rate des objets.** YOLOv3-tiny a 8,9 millions de poids (YOLOv3 complet en a 62 millions) : il est rapide sur le processeur d'un portable mais grossier. Un objet plus petit qu'une case (un oiseau au loin) peut disparaître quand la photo est réduite, et un objet qui remplit toute l'image dépasse sa plus grande ancre. Changez la **taille d'entrée** pour voir les deux effets : une entrée plus grande trouve les petits objets mais coûte du temps.\n\n"
        "**Le modèle « personnes seulement ».** SSDLite-MobileNetV2 utilise des convolutions *depthwise* moins coûteuses et ne connaît qu'une classe : il est plus rapide, un compromis entre vitesse et ce que le modèle sait reconnaître.",
    ),
}
