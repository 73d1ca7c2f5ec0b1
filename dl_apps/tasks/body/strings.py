"""Strings of the body, hands and face page (tasks pose, face and segment share it)."""

STRINGS = {
    # navigation and gallery: one page, three tasks (three home cards that open it)
    "nav.pose": ("Body, hands & face", "Corps, mains et visage"),
    "nav.face": ("Face mesh & face blur", "Maillage et floutage des visages"),
    "nav.segment": ("Person segmentation", "Détourage des personnes"),
    "gallery.pose.blurb": (
        "A skeleton that follows your body and the 21 joints of each hand, live from the webcam, without internet.",
        "Un squelette qui suit votre corps et les 21 articulations de chaque main, en direct depuis la webcam, sans internet.",
    ),
    "gallery.face.blurb": (
        "478 points on your face in a few milliseconds, or every face of a photo blurred to protect privacy.",
        "478 points sur votre visage en quelques millisecondes, ou tous les visages d'une photo floutés pour protéger la vie privée.",
    ),
    "gallery.segment.blurb": (
        "Which pixels are a person? Blur or replace the background behind you, like a video call does.",
        "Quels pixels appartiennent à une personne ? Floutez ou remplacez l'arrière-plan derrière vous, comme en visioconférence.",
    ),
    # page header (setup_page("pose"))
    "pose.title": ("Body, hands and face", "Corps, mains et visage"),
    "pose.tagline": (
        "Pick a mode, then a photo, a camera snapshot or the live webcam: small neural networks find the **skeleton**, the **hands** or the **face mesh**, cut the **person** out of the background, or **blur every face**. Everything runs on this server, offline.",
        "Choisissez un mode, puis une photo, un cliché de la caméra ou la webcam en direct : de petits réseaux de neurones trouvent le **squelette**, les **mains** ou le **maillage du visage**, détourent la **personne** de l'arrière-plan ou **floutent tous les visages**. Tout tourne sur ce serveur, sans internet.",
    ),
    "face.title": ("Face mesh and face blur", "Maillage et floutage des visages"),
    "face.tagline": (
        "Find faces, put 478 landmarks on them, or blur them all.",
        "Trouver les visages, y placer 478 points, ou tous les flouter.",
    ),
    "segment.title": ("Person segmentation", "Détourage des personnes"),
    "segment.tagline": (
        "Which pixels are a person: blur or replace the background.",
        "Quels pixels appartiennent à une personne : flouter ou remplacer l'arrière-plan.",
    ),
    # how it works, per mode family
    "pose.how": (
        "**Landmark models.** Instead of a box, the network outputs the coordinates of named points: 33 for the body (nose, shoulders, elbows, wrists, hips, knees, ankles...), 21 for a hand (the wrist and four joints per finger). It is a *regression*: a small convolutional network reads a 256×256 crop and predicts, for every point, its x, y, a relative depth z and how likely the point is visible. The skeleton is then just lines drawn between known pairs of points.\n\n"
        "**Two stages: detect, then track.** Running the landmark network on the whole picture would be slow and imprecise, so the pipeline has two models. A fast *detector* first finds where the person (or the palm) is and how it is rotated; the *landmark model* then works on that crop only. On a photo both stages run. On video, the landmarks of one frame give the crop of the next, so the detector runs again only when the track is lost: that is why the live skeleton is fast and steady. Each webcam here has its own track.\n\n"
        "**Limits.** The classic pose pipeline follows one person, the most prominent. A model trained on people filmed from the front does worse lying down, upside down, in a crowd or on unusual clothes; the visibility score tells how sure it is about each point. Pose uses the *full* model (complexity 1): the lite and heavy variants are not inside the package and would need a download.",
        "**Modèles de points clés.** Au lieu d'un cadre, le réseau donne les coordonnées de points nommés : 33 pour le corps (nez, épaules, coudes, poignets, hanches, genoux, chevilles...), 21 pour une main (le poignet et quatre articulations par doigt). C'est une *régression* : un petit réseau convolutif lit une zone de 256×256 pixels et prédit, pour chaque point, ses coordonnées x et y, une profondeur relative z et la probabilité qu'il soit visible. Le squelette n'est ensuite qu'un ensemble de segments tracés entre des paires de points connues.\n\n"
        "**Deux étages : détecter, puis suivre.** Appliquer le réseau de points à toute l'image serait lent et imprécis ; la chaîne compte donc deux modèles. Un *détecteur* rapide repère d'abord où se trouve la personne (ou la paume) et son orientation ; le *modèle de points* ne travaille ensuite que sur cette zone. Sur une photo, les deux étages tournent. En vidéo, les points d'une image donnent la zone de la suivante, et le détecteur ne repart que si la piste est perdue : c'est pourquoi le squelette en direct est rapide et stable. Chaque webcam a ici sa propre piste.\n\n"
        "**Limites.** La chaîne de pose classique suit une seule personne, la plus visible. Un modèle entraîné sur des personnes filmées de face se trompe davantage sur une personne allongée, à l'envers, dans une foule ou en tenue inhabituelle ; le score de visibilité indique sa certitude pour chaque point. La pose utilise le modèle *complet* (complexité 1) : les variantes légère et lourde ne sont pas dans le paquet et demanderaient un téléchargement.",
    ),
    "face.how": (
        "**Face mesh.** The same two stages as for the body: a small face detector (BlazeFace) finds the face, then a landmark network places 478 points on the crop: 468 for the surface of the face and 10 for the irises, refined by an *attention* stage around the eyes and lips. Lines between neighbouring points draw the mesh; augmented-reality filters (glasses, masks, make-up) hang their pictures on these points.\n\n"
        "**Face blur.** Anonymising needs only boxes, but it must miss none: CenterFace, an anchor-free detector, outputs a *heat map* whose peaks are face centres, with the box size at each peak. The threshold is low on purpose (a blurred patch of wall costs less than a face left visible), and each box is grown before it is blurred or pixelated.\n\n"
        "**Limits.** Small, turned or hidden faces can be missed: always look at the result before publishing it. Finding a face is not recognising *who* it is: nothing here identifies anyone, and nothing is stored.",
        "**Maillage du visage.** Les deux mêmes étages que pour le corps : un petit détecteur de visages (BlazeFace) trouve le visage, puis un réseau de points en place 478 sur la zone : 468 pour la surface du visage et 10 pour les iris, affinés par un étage d'*attention* autour des yeux et des lèvres. Les segments entre points voisins dessinent le maillage ; les filtres de réalité augmentée (lunettes, masques, maquillage) accrochent leurs images à ces points.\n\n"
        "**Floutage des visages.** Anonymiser ne demande que des cadres, mais il ne faut en manquer aucun : CenterFace, un détecteur sans ancres, produit une *carte de chaleur* dont les pics sont les centres des visages, avec la taille du cadre à chaque pic. Le seuil est bas à dessein (flouter un morceau de mur coûte moins que laisser un visage visible), et chaque cadre est agrandi avant d'être flouté ou pixélisé.\n\n"
        "**Limites.** Un visage petit, de profil ou caché peut être manqué : regardez toujours le résultat avant de le publier. Trouver un visage n'est pas reconnaître *qui* c'est : rien ici n'identifie personne, et rien n'est conservé.",
    ),
    "segment.how": (
        "**Segmentation is a classification of every pixel.** A classifier answers one question per picture; a segmentation network answers it for each pixel: person or background? It shrinks the picture step by step to understand it (an encoder), then enlarges its answer back to full resolution (a decoder), so that every pixel gets a probability. Here the picture is read at 256×256 and the map of probabilities is stretched back to the photo's size.\n\n"
        "**From a mask to an effect.** The probabilities are used as a soft *mask*: each output pixel mixes the photo (where the mask says person) and a blurred copy or a plain colour (where it says background), which keeps the edges smooth. The coverage is the share of pixels whose probability is above 50 %.\n\n"
        "**Limits.** The model was trained on selfies and video calls: one or two people near the camera. Far-away people, hair, hands and objects held close are where it fails first.",
        "**La segmentation classe chaque pixel.** Un classifieur répond à une question par image ; un réseau de segmentation y répond pour chaque pixel : personne ou arrière-plan ? Il réduit l'image étape par étape pour la comprendre (un encodeur), puis agrandit sa réponse jusqu'à la pleine résolution (un décodeur), si bien que chaque pixel reçoit une probabilité. Ici, l'image est lue en 256×256 et la carte des probabilités est étirée à la taille de la photo.\n\n"
        "**Du masque à l'effet.** Les probabilités servent de *masque* progressif : chaque pixel du résultat mélange la photo (là où le masque dit personne) et une copie floutée ou une couleur unie (là où il dit arrière-plan), ce qui garde des bords doux. La couverture est la part des pixels dont la probabilité dépasse 50 %.\n\n"
        "**Limites.** Le modèle a été entraîné sur des selfies et des visioconférences : une ou deux personnes proches de la caméra. Les personnes lointaines, les cheveux, les mains et les objets tenus près du visage sont là où il échoue d'abord.",
    ),
    # page
    "body.mode": ("Mode", "Mode"),
    "body.mode.pose": ("🧍 Skeleton", "🧍 Squelette"),
    "body.mode.hands": ("✋ Hands", "✋ Mains"),
    "body.mode.mesh": ("🙂 Face mesh", "🙂 Maillage du visage"),
    "body.mode.segment": ("🖼️ Background", "🖼️ Arrière-plan"),
    "body.mode.blur": ("🕶️ Blur faces", "🕶️ Flouter les visages"),
    "body.mode_help.pose": ("33 body landmarks of the most prominent person.", "33 points du corps de la personne la plus visible."),
    "body.mode_help.hands": ("21 landmarks on each hand (up to 4 hands).", "21 points sur chaque main (jusqu'à 4 mains)."),
    "body.mode_help.mesh": ("478 landmarks on each face (up to 4 faces), irises included.", "478 points sur chaque visage (jusqu'à 4 visages), iris compris."),
    "body.mode_help.segment": ("Person or background, pixel by pixel: blur or replace the background.", "Personne ou arrière-plan, pixel par pixel : floutez ou remplacez l'arrière-plan."),
    "body.mode_help.blur": ("Every face found is blurred: a privacy tool.", "Chaque visage trouvé est flouté : un outil de protection de la vie privée."),
    "body.sample.astronaut": ("👩‍🚀 Astronaut", "👩‍🚀 Astronaute"),
    "body.sample.cameraman": ("🎥 Cameraman", "🎥 Caméraman"),
    "body.sample.person": ("🧍 Person with a horse", "🧍 Personne et cheval"),
    "body.sample.horses": ("🐎 Nobody (horses)", "🐎 Personne (des chevaux)"),
    "body.sample_source": ("Sample photo: {source}", "Photo d'exemple : {source}"),
    "body.tab_upload": ("Upload a photo", "Téléverser une photo"),
    "body.tab_camera": ("Camera snapshot", "Cliché de la caméra"),
    "body.tab_live": ("Live webcam", "Webcam en direct"),
    "body.upload": ("A photo (JPEG, PNG, WebP, BMP, GIF, TIFF)", "Une photo (JPEG, PNG, WebP, BMP, GIF, TIFF)"),
    "body.camera_enable": ("Turn on my camera", "Activer ma caméra"),
    "body.camera": ("Take a snapshot", "Prendre un cliché"),
    "body.camera_help": (
        "The snapshot stays on this server only for the time of the analysis; nothing is stored.",
        "Le cliché ne reste sur ce serveur que le temps de l'analyse ; rien n'est conservé.",
    ),
    "body.live_enable": ("Turn on live video", "Activer la vidéo en direct"),
    "body.live_help": (
        "Press START and allow the camera: every frame the server can keep up with is processed in the chosen mode (the others are skipped). Change the mode or the settings while it runs.",
        "Appuyez sur DÉMARRER et autorisez la caméra : chaque image que le serveur peut suivre est traitée dans le mode choisi (les autres sont sautées). Changez de mode ou de réglages pendant la vidéo.",
    ),
    "body.live_unavailable": (
        "Live video needs the optional package streamlit-webrtc on the server. Use the camera snapshot meanwhile.",
        "La vidéo en direct nécessite le paquet optionnel streamlit-webrtc sur le serveur. Utilisez le cliché de la caméra en attendant.",
    ),
    "body.live_stats": (
        "{frames} frames processed · {fps} frames per second · last one in {ms} ms",
        "{frames} images traitées · {fps} images par seconde · la dernière en {ms} ms",
    ),
    "body.live_refresh": ("Refresh the counters", "Actualiser les compteurs"),
    "body.live_waiting": ("No frame processed yet: press START above.", "Aucune image traitée pour l'instant : appuyez sur DÉMARRER ci-dessus."),
    "body.live.start": ("START", "DÉMARRER"),
    "body.live.stop": ("STOP", "ARRÊTER"),
    "body.live.select_device": ("Select camera", "Choisir la caméra"),
    "body.live.device_ask_permission": ("Please allow the camera in your browser.", "Autorisez la caméra dans votre navigateur."),
    "body.live.device_not_available": ("No camera found.", "Aucune caméra trouvée."),
    "body.live.device_access_denied": ("Camera access was denied.", "L'accès à la caméra a été refusé."),
    "body.live.media_api_not_available": (
        "This browser cannot share a camera here (it needs https or localhost).",
        "Ce navigateur ne peut pas partager de caméra ici (il faut https ou localhost).",
    ),
    "body.pick_input": (
        "Choose a sample above, upload a photo or take a snapshot to see the result.",
        "Choisissez un exemple ci-dessus, téléversez une photo ou prenez un cliché pour voir le résultat.",
    ),
    "body.input_name": ("Input: {name}", "Entrée : {name}"),
    "body.settings": ("Settings", "Réglages"),
    "body.effect": ("Background", "Arrière-plan"),
    "body.effect.blur": ("Blurred", "Flouté"),
    "body.effect.replace": ("Replaced by a colour", "Remplacé par une couleur"),
    "body.effect.mask": ("Show the mask", "Afficher le masque"),
    "body.background_blur": ("Background blur (px)", "Flou de l'arrière-plan (px)"),
    "body.colour": ("Background colour", "Couleur de l'arrière-plan"),
    "body.threshold": ("Face confidence threshold", "Seuil de confiance des visages"),
    "body.threshold_help": (
        "Lower finds more faces (and blurs a few things that are not faces); higher blurs only faces the detector is sure of.",
        "Plus bas, davantage de visages sont trouvés (et quelques zones qui n'en sont pas sont floutées) ; plus haut, seuls les visages dont le détecteur est sûr sont floutés.",
    ),
    "body.pixelate": ("Pixelate instead of blurring", "Pixéliser au lieu de flouter"),
    "body.tesselation": ("Draw the whole mesh (not only the contours)", "Tracer tout le maillage (pas seulement les contours)"),
    "body.result": ("Result", "Résultat"),
    "body.original": ("Original", "Original"),
    "body.side_by_side": ("Show the original beside it", "Afficher l'original à côté"),
    "body.download": ("Download the picture (PNG)", "Télécharger l'image (PNG)"),
    "body.download_mask": ("Download the mask (PNG)", "Télécharger le masque (PNG)"),
    "body.found.pose": ("Skeleton found: {n} person, {visible} of 33 points visible.", "Squelette trouvé : {n} personne, {visible} points visibles sur 33."),
    "body.found.hands": ("{n} hand(s) found, 21 points each.", "{n} main(s) trouvée(s), 21 points chacune."),
    "body.found.mesh": ("{n} face(s) found, {points} points each.", "{n} visage(s) trouvé(s), {points} points chacun."),
    "body.found.blur": ("{n} face(s) found and blurred.", "{n} visage(s) trouvé(s) et flouté(s)."),
    "body.found.segment": ("A person covers {coverage:.0%} of the picture.", "Une personne couvre {coverage:.0%} de l'image."),
    "body.none.pose": (
        "Nobody was found in this picture. Try one where a whole person is in view.",
        "Personne n'a été trouvé sur cette image. Essayez une photo où une personne est entièrement visible.",
    ),
    "body.none.hands": (
        "No hand was found. Hands must be open and fairly large in the picture: try the webcam and show your palm.",
        "Aucune main n'a été trouvée. Les mains doivent être ouvertes et assez grandes sur l'image : essayez la webcam en montrant votre paume.",
    ),
    "body.none.mesh": (
        "No face was found. Try a photo where a face is seen from the front.",
        "Aucun visage n'a été trouvé. Essayez une photo où un visage est vu de face.",
    ),
    "body.none.blur": (
        "No face was found, so nothing was blurred. Look at the picture yourself before sharing it: small or turned faces can be missed.",
        "Aucun visage n'a été trouvé, donc rien n'a été flouté. Regardez l'image vous-même avant de la partager : les visages petits ou de profil peuvent être manqués.",
    ),
    "body.none.segment": (
        "No person was found: the background effect covers the whole picture.",
        "Aucune personne n'a été trouvée : l'effet d'arrière-plan couvre toute l'image.",
    ),
    "body.col.point": ("Point", "Point"),
    "body.col.x": ("x (px)", "x (px)"),
    "body.col.y": ("y (px)", "y (px)"),
    "body.col.score": ("Visibility", "Visibilité"),
    "body.col.face": ("Face", "Visage"),
    "body.col.box": ("Box (x1, y1, x2, y2)", "Cadre (x1, y1, x2, y2)"),
    "body.col.confidence": ("Confidence", "Confiance"),
    "body.col.hand": ("Hand", "Main"),
    "body.col.side": ("Side (mirrored view)", "Côté (vue miroir)"),
    "body.points_table": ("The landmarks, in pixels", "Les points, en pixels"),
    "body.models": ("Models of this page", "Modèles de cette page"),
    "body.model_of_mode": ("Model of this mode: **{title}**", "Modèle de ce mode : **{title}**"),
    # errors and notices
    "error.body_image_too_small": (
        "The picture is only {width}×{height} pixels; at least {minimum}×{minimum} are needed.",
        "L'image ne fait que {width}×{height} pixels ; il en faut au moins {minimum}×{minimum}.",
    ),
    "error.body_bad_mode": ("Unknown mode “{mode}”.", "Mode inconnu « {mode} »."),
    "error.body_bad_effect": ("Unknown background effect “{effect}”.", "Effet d'arrière-plan inconnu « {effect} »."),
    "error.body_bad_setting": ("A setting of the page is not a usable number.", "Un réglage de la page n'est pas un nombre utilisable."),
    "error.body_bad_threshold": (
        "The confidence threshold must be a number between 0 and 1.",
        "Le seuil de confiance doit être un nombre entre 0 et 1.",
    ),
    "error.body_unknown_sample": ("There is no sample called “{name}”.", "Il n'y a pas d'exemple nommé « {name} »."),
    "error.body_cannot_write": ("Cannot write the file {path}.", "Impossible d'écrire le fichier {path}."),
    "notice.body_resized": (
        "The {width}×{height} picture was scaled down to {new_width}×{new_height} pixels.",
        "L'image de {width}×{height} pixels a été réduite à {new_width}×{new_height} pixels.",
    ),
    "notice.body_no_person": ("Nobody was found in this picture.", "Personne n'a été trouvé sur cette image."),
    "notice.body_no_hands": ("No hand was found in this picture.", "Aucune main n'a été trouvée sur cette image."),
    "notice.body_no_face": ("No face was found in this picture.", "Aucun visage n'a été trouvé sur cette image."),
    "notice.body_no_person_pixels": (
        "No person was found in this picture: the mask is (almost) empty.",
        "Aucune personne n'a été trouvée sur cette image : le masque est (presque) vide.",
    ),
}
