"""Strings of the medical imaging page."""

STRINGS = {
    "medical.title": ("Medical imaging: brain MRI", "Imagerie médicale : IRM cérébrale"),
    "medical.tagline": (
        "A small CNN **trained here** on a real brain atlas labels every pixel of an MRI slice as grey matter, white matter or CSF; "
        "a packaged tumour classifier shows why a model must be validated on outside data before anyone trusts it.",
        "Un petit CNN **entraîné ici** sur un véritable atlas cérébral classe chaque pixel d'une coupe d'IRM en substance grise, substance blanche ou LCR ; "
        "un classifieur de tumeurs empaqueté montre pourquoi un modèle doit être validé sur des données extérieures avant qu'on lui fasse confiance.",
    ),
    "medical.disclaimer": (
        "Teaching demonstration only, **not a medical device**: never use these answers for a diagnosis.",
        "Démonstration pédagogique uniquement, **pas un dispositif médical** : n'utilisez jamais ces réponses pour un diagnostic.",
    ),
    "medical.tumour_warning": (
        "**Demonstration only, not a medical device.** This classifier's training data is undocumented. On {n} normal template brain slices "
        "(truth: no tumour) it answered “no tumour” only {accuracy:.0%} of the time, with {confidence:.0%} mean confidence: confidently wrong.",
        "**Démonstration uniquement, pas un dispositif médical.** Les données d'entraînement de ce classifieur ne sont pas documentées. Sur {n} coupes normales "
        "du gabarit cérébral (vérité : pas de tumeur), il n'a répondu « pas de tumeur » que {accuracy:.0%} du temps, avec une confiance moyenne de {confidence:.0%} : sûr de lui et faux.",
    ),
    "medical.input_source": ("Input", "Entrée"),
    "medical.source.atlas": ("Atlas slice", "Coupe de l'atlas"),
    "medical.source.sample": ("Sample files", "Fichiers d'exemple"),
    "medical.source.upload": ("Your image", "Votre image"),
    "medical.plane": ("Plane", "Plan"),
    "medical.plane.axial": ("axial", "axial"),
    "medical.plane.coronal": ("coronal", "coronal"),
    "medical.plane.sagittal": ("sagittal", "sagittal"),
    "medical.slice": ("Slice (mm along the axis)", "Coupe (mm le long de l'axe)"),
    "medical.split.test": (
        "This slice is in the **held-out test slab**: the model never saw these voxels.",
        "Cette coupe est dans la **tranche de test mise de côté** : le modèle n'a jamais vu ces voxels.",
    ),
    "medical.split.train": ("This slice was used for **training**: expect it to look better than reality.", "Cette coupe a servi à l'**entraînement** : elle paraîtra meilleure que la réalité."),
    "medical.split.gap": ("This slice is in the 2 mm gap between training and test: never used.", "Cette coupe est dans la marge de 2 mm entre entraînement et test : jamais utilisée."),
    "medical.split.both": (
        "Coronal and sagittal slices cross the held-out axial slab (rows {start}–{stop} from the bottom): they mix training and test voxels.",
        "Les coupes coronales et sagittales traversent la tranche axiale de test (lignes {start} à {stop} depuis le bas) : elles mélangent voxels d'entraînement et de test.",
    ),
    "medical.sample.atlas_axial_z095.png": ("Axial slice (PNG)", "Coupe axiale (PNG)"),
    "medical.sample.atlas_axial_z095.dcm": ("Same slice (DICOM)", "Même coupe (DICOM)"),
    "medical.sample.atlas_coronal_y120.png": ("Coronal slice (PNG)", "Coupe coronale (PNG)"),
    "medical.sample.atlas_sagittal_x070.png": ("Sagittal slice (PNG)", "Coupe sagittale (PNG)"),
    "medical.sample.cat_chelsea.jpg": ("A cat (out of distribution)", "Un chat (hors distribution)"),
    "medical.sample.MR_small.dcm": ("Real MR head slice (DICOM)", "Vraie coupe IRM de tête (DICOM)"),
    "medical.samples_credit": (
        "Slices of the MNI152 2009 template (© McConnell Brain Imaging Centre, via nilearn); cat photo: scikit-image, CC0; "
        "real MR slice: NEMA WG04 sample, 64×64, from the pydicom package. The real scan has a skull: see how the tissue model copes.",
        "Coupes du gabarit MNI152 2009 (© McConnell Brain Imaging Centre, via nilearn) ; photo du chat : scikit-image, CC0 ; "
        "vraie coupe IRM : échantillon NEMA WG04, 64×64, du paquet pydicom. Le vrai examen montre le crâne : voyez comment le modèle de tissus s'en sort.",
    ),
    "medical.upload": ("PNG, JPEG or DICOM image", "Image PNG, JPEG ou DICOM"),
    "medical.window": ("DICOM window", "Fenêtrage DICOM"),
    "medical.window_auto": ("Use the file's window (or the full range)", "Utiliser le fenêtrage du fichier (ou toute la plage)"),
    "medical.window_centre": ("Window centre", "Centre de la fenêtre"),
    "medical.window_width": ("Window width", "Largeur de la fenêtre"),
    "medical.window_help": (
        "MRI and CT values span thousands of levels; a screen shows 256. The window picks which range becomes black-to-white.",
        "Les valeurs d'IRM et de scanner couvrent des milliers de niveaux ; un écran en montre 256. La fenêtre choisit la plage affichée du noir au blanc.",
    ),
    "medical.choose_input": ("Choose a sample or upload an image.", "Choisissez un exemple ou téléversez une image."),
    "medical.col.input": ("Input", "Entrée"),
    "medical.col.prediction": ("Model's tissue map", "Carte des tissus du modèle"),
    "medical.col.truth": ("Atlas ground truth", "Vérité de l'atlas"),
    "medical.legend": (
        "Colours: :blue[■ CSF] · :orange[■ grey matter] · ■ white matter (white) · background (black)",
        "Couleurs : :blue[■ LCR] · :orange[■ substance grise] · ■ substance blanche (blanc) · fond (noir)",
    ),
    "medical.agreement": (
        "Agreement with the atlas on this slice's brain voxels: **{accuracy:.1%}**",
        "Accord avec l'atlas sur les voxels cérébraux de cette coupe : **{accuracy:.1%}**",
    ),
    "medical.verdict_tissue": ("Dominant tissue: **{label}** ({score:.0%} of the brain pixels)", "Tissu dominant : **{label}** ({score:.0%} des pixels du cerveau)"),
    "medical.verdict_tumour": ("Answer: **{label}** ({score:.0%} sure)", "Réponse : **{label}** (sûr à {score:.0%})"),
    "medical.scores_tissue": ("Share of each tissue among the brain pixels", "Part de chaque tissu parmi les pixels du cerveau"),
    "medical.scores_tumour": ("Probability of each class", "Probabilité de chaque classe"),
    "medical.label.background": ("background", "fond"),
    "medical.label.csf": ("CSF", "LCR"),
    "medical.label.grey_matter": ("grey matter", "substance grise"),
    "medical.label.white_matter": ("white matter", "substance blanche"),
    "medical.label.glioma": ("glioma", "gliome"),
    "medical.label.meningioma": ("meningioma", "méningiome"),
    "medical.label.notumor": ("no tumour", "pas de tumeur"),
    "medical.label.pituitary": ("pituitary tumour", "tumeur hypophysaire"),
    "medical.ood_metric": ("Out-of-distribution score", "Score hors distribution"),
    "medical.ood_help": (
        "0 = looks like the training data; 0.5 = as unusual as the 1% most unusual training slices; close to 1 = nothing like it. "
        "Tissue model: distance of the image's feature summary from the template slices. Tumour model: prediction entropy (a weak signal: it is often confidently wrong).",
        "0 = ressemble aux données d'entraînement ; 0,5 = aussi inhabituel que le 1 % des coupes d'entraînement les plus inhabituelles ; proche de 1 = rien à voir. "
        "Modèle de tissus : distance du résumé des caractéristiques de l'image aux coupes du gabarit. Modèle de tumeurs : entropie de la prédiction (un signal faible : il est souvent sûr de lui et faux).",
    ),
    "medical.entropy_metric": ("Prediction entropy", "Entropie de la prédiction"),
    "medical.in_distribution": ("The image looks like the training data.", "L'image ressemble aux données d'entraînement."),
    "medical.saliency": ("Where does the model look?", "Où le modèle regarde-t-il ?"),
    "medical.saliency_method": ("Saliency method", "Méthode de saillance"),
    "medical.method.gradcam": ("Grad-CAM", "Grad-CAM"),
    "medical.method.gradient": ("Plain gradient", "Gradient simple"),
    "medical.method.occlusion": ("Occlusion", "Occultation"),
    "medical.saliency_target": ("Class to explain", "Classe à expliquer"),
    "medical.target_auto": ("the model's answer", "la réponse du modèle"),
    "medical.opacity": ("Heat-map opacity", "Opacité de la carte de chaleur"),
    "medical.grid": ("Occlusion grid (cells per side)", "Grille d'occultation (cases par côté)"),
    "medical.grid_help": (
        "Each cell is greyed out in turn and the model re-run: {calls} runs for this grid.",
        "Chaque case est grisée tour à tour et le modèle relancé : {calls} exécutions pour cette grille.",
    ),
    "medical.compute_saliency": ("Compute the map", "Calculer la carte"),
    "medical.saliency_caption": (
        "{method} for “{target}”: red = strongly supports this class, blue = does not matter.",
        "{method} pour « {target} » : rouge = soutient fortement cette classe, bleu = sans importance.",
    ),
    "medical.no_gradients": (
        "This model is an ONNX graph without gradients: the occlusion map is the only saliency available.",
        "Ce modèle est un graphe ONNX sans gradients : la carte d'occultation est la seule saillance disponible.",
    ),
    "medical.metrics": ("Measured by the training script (from the model card)", "Mesuré par le script d'entraînement (d'après la fiche du modèle)"),
    "medical.metrics_split": (
        "Held-out test: {slices} axial slices ({voxels:,} voxels) never seen in training. Accuracy on brain voxels: **{accuracy:.1%}**.",
        "Test mis de côté : {slices} coupes axiales ({voxels:,} voxels) jamais vues à l'entraînement. Exactitude sur les voxels cérébraux : **{accuracy:.1%}**.",
    ),
    "medical.col.class": ("class", "classe"),
    "medical.col.precision": ("precision", "précision"),
    "medical.col.recall": ("recall", "rappel"),
    "medical.col.dice": ("Dice", "Dice"),
    "medical.confusion": ("Confusion matrix on the test slab (rows: truth, columns: prediction)", "Matrice de confusion sur la tranche de test (lignes : vérité, colonnes : prédiction)"),
    "medical.truth": ("truth", "vérité"),
    "medical.predicted": ("prediction", "prédiction"),
    "medical.calibration": (
        "Calibration check on {n} normal template slices (truth: no tumour)",
        "Contrôle de calibration sur {n} coupes normales du gabarit (vérité : pas de tumeur)",
    ),
    "medical.calibration_numbers": (
        "Right {accuracy:.0%} of the time with {confidence:.0%} mean confidence (gap {gap:+.0%}). Its answers:",
        "Juste {accuracy:.0%} du temps avec une confiance moyenne de {confidence:.0%} (écart {gap:+.0%}). Ses réponses :",
    ),
    "medical.count": ("answers", "réponses"),
    "medical.how": (
        "**A CNN learns its own features.** The first convolution layers respond to edges and contrasts; deeper ones combine them "
        "into textures and shapes. Our tissue CNN has four 3×3 convolutions (dilations 1, 2, 4, 1) and no pooling, so each output "
        "pixel is the classification of the 17×17-pixel patch around it, and a whole slice is labelled in one pass (~23 k parameters).\n\n"
        "**Real labels, honest split.** It is trained on the MNI152 template, an average of 152 healthy adult brains, with grey- and "
        "white-matter probability maps. The axial slab from z = +13 to +37 mm is held out: no training patch touches it, so the test "
        "figures are measured on tissue the model never saw. Slices from the training region look better: compare them with the slider.\n\n"
        "**Transfer learning: the answer to scarce medical data.** Labelled medical images are rare and expensive (an expert must draw "
        "every outline). Instead of training from scratch, one starts from a network pre-trained on millions of ordinary photos "
        "(ImageNet) and retrains only its last layers on a few hundred scans; the VGG16 tumour classifier here was most likely built that way.\n\n"
        "**Why validation on outside data matters.** A model is only as good as the data it was tested on. The tumour classifier "
        "has undocumented training data and answers “meningioma” with high confidence on normal brains; both models answer something even "
        "for a photo of a cat. Before clinical use a model needs testing on patients from other hospitals and scanners, a check of "
        "its calibration (does 90% sure mean right 90% of the time?), and an out-of-distribution guard.\n\n"
        "**Saliency maps.** *Grad-CAM* weights the last layer's feature maps by the gradient of the class score; the *plain gradient* "
        "shows which pixels change the score most; *occlusion* hides one region at a time and watches the probability drop (no gradients "
        "needed, so it works on the ONNX model, at the price of one run per cell). They show where a model looks, not why it is right.",
        "**Un CNN apprend ses propres caractéristiques.** Les premières couches de convolution réagissent aux bords et aux contrastes ; "
        "les suivantes les combinent en textures et en formes. Notre CNN de tissus a quatre convolutions 3×3 (dilatations 1, 2, 4, 1) "
        "et pas de sous-échantillonnage : chaque pixel de sortie est la classification du carré de 17×17 pixels qui l'entoure, et une "
        "coupe entière est étiquetée en un seul passage (~23 k paramètres).\n\n"
        "**De vraies étiquettes, une séparation honnête.** Il est entraîné sur le gabarit MNI152, moyenne de 152 cerveaux adultes sains, "
        "avec des cartes de probabilité de substance grise et blanche. La tranche axiale de z = +13 à +37 mm est mise de côté : aucun "
        "carré d'entraînement n'y touche, donc les chiffres de test sont mesurés sur des tissus jamais vus. Les coupes de la zone "
        "d'entraînement paraissent meilleures : comparez-les avec le curseur.\n\n"
        "**L'apprentissage par transfert : la réponse au manque de données médicales.** Les images médicales annotées sont rares et "
        "chères (un expert doit tracer chaque contour). Plutôt que de partir de zéro, on part d'un réseau pré-entraîné sur des millions "
        "de photos ordinaires (ImageNet) et on ne ré-entraîne que ses dernières couches sur quelques centaines d'examens ; le classifieur "
        "VGG16 de tumeurs a très probablement été construit ainsi.\n\n"
        "**Pourquoi valider sur des données extérieures.** Un modèle ne vaut que par les données sur lesquelles on l'a testé. Le "
        "classifieur de tumeurs a des données d'entraînement non documentées et répond « méningiome » avec assurance sur des cerveaux "
        "normaux ; les deux modèles répondent quelque chose même pour la photo d'un chat. Avant tout usage clinique, il faut tester le "
        "modèle sur des patients d'autres hôpitaux et d'autres machines, vérifier sa calibration (« sûr à 90 % » veut-il dire juste "
        "90 % du temps ?) et le protéger contre les entrées hors distribution.\n\n"
        "**Cartes de saillance.** *Grad-CAM* pondère les cartes de caractéristiques de la dernière couche par le gradient du score de "
        "la classe ; le *gradient simple* montre quels pixels changent le plus le score ; l'*occultation* cache une région à la fois "
        "et mesure la baisse de probabilité (sans gradient, donc possible sur le modèle ONNX, au prix d'une exécution par case). "
        "Elles montrent où un modèle regarde, pas pourquoi il aurait raison.",
    ),
    "error.medical_bad_image": ("The image must be a 2-D picture of at least 8×8 pixels.", "L'image doit être une image 2D d'au moins 8×8 pixels."),
    "error.medical_dicom_no_pixels": (
        "This DICOM file contains no image (no pixel data): it may be a report, a structure set or a plan.",
        "Ce fichier DICOM ne contient pas d'image (pas de données de pixels) : c'est peut-être un rapport, un jeu de structures ou un plan.",
    ),
    "error.medical_dicom_compressed": (
        "This DICOM image is compressed ({syntax}) in a way that cannot be decoded here. Export it uncompressed, or as PNG.",
        "Cette image DICOM est compressée ({syntax}) d'une façon impossible à décoder ici. Exportez-la non compressée, ou en PNG.",
    ),
    "error.medical_dicom_unreadable": ("The DICOM pixel data cannot be read.", "Les données de pixels DICOM sont illisibles."),
    "error.medical_bad_plane": ("Unknown plane: choose axial, coronal or sagittal.", "Plan inconnu : choisissez axial, coronal ou sagittal."),
    "error.medical_bad_slice": ("Slice {index} is outside 0..{last}.", "La coupe {index} est hors de 0..{last}."),
    "error.medical_bad_method": ("Unknown saliency method.", "Méthode de saillance inconnue."),
    "error.medical_no_gradients": (
        "This model is an ONNX graph without gradients: use the occlusion map.",
        "Ce modèle est un graphe ONNX sans gradients : utilisez la carte d'occultation.",
    ),
    "error.medical_file_not_found": ("Cannot read the file {path}.", "Impossible de lire le fichier {path}."),
    "notice.medical_resized": (
        "The image was shrunk from {width}×{height} to {new_width}×{new_height} pixels (the models work at about 1 pixel per mm).",
        "L'image a été réduite de {width}×{height} à {new_width}×{new_height} pixels (les modèles travaillent à environ 1 pixel par mm).",
    ),
    "notice.medical_dicom_window": ("DICOM window: centre {centre}, width {width}.", "Fenêtrage DICOM : centre {centre}, largeur {width}."),
    "notice.medical_dicom_frame": ("This DICOM has {frames} frames: frame {frame} is shown.", "Ce DICOM a {frames} images : l'image {frame} est affichée."),
    "notice.medical_out_of_distribution": (
        "This image does not look like the model's training data (out-of-distribution score {score:.2f}). The model still answers, but do not trust it.",
        "Cette image ne ressemble pas aux données d'entraînement du modèle (score hors distribution {score:.2f}). Le modèle répond quand même, mais ne vous y fiez pas.",
    ),
}
