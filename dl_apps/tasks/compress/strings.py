"""Strings of the compression page (Trust & efficiency)."""

STRINGS = {
    "nav.compress": ("Smaller & faster", "Plus petit, plus rapide"),
    "gallery.compress.blurb": (
        "Quantize, prune and distil real models live, and see what each byte saved costs in accuracy.",
        "Quantifiez, élaguez et distillez de vrais modèles en direct, et voyez ce que chaque octet gagné coûte en précision.",
    ),
    "compress.title": ("Smaller and faster: compress a real model", "Plus petit, plus rapide : compresser un vrai modèle"),
    "compress.tagline": (
        "Deep networks are big and slow; phones and small servers need them small and fast. Pick a model of this hub and a method — **quantization**, **pruning** or **distillation** — and measure, right now, what it saves in size and time and what it costs in accuracy.",
        "Les réseaux profonds sont gros et lents ; les téléphones et les petits serveurs les veulent petits et rapides. Choisissez un modèle du site et une méthode — **quantification**, **élagage** ou **distillation** — et mesurez, tout de suite, ce qu'elle fait gagner en taille et en temps, et ce qu'elle coûte en précision.",
    ),
    "compress.model": ("Model to compress", "Modèle à compresser"),
    "compress.method": ("Method", "Méthode"),
    "compress.amount": ("Share of weights removed (%)", "Part des poids supprimés (%)"),
    "compress.run": ("Compress and measure", "Compresser et mesurer"),
    "compress.method.int8": ("int8, dynamic", "int8 dynamique"),
    "compress.method.int8-static": ("int8, static (calibrated)", "int8 statique (calibré)"),
    "compress.method.fp16": ("float16 weights", "poids en float16"),
    "compress.method.bf16": ("bfloat16", "bfloat16"),
    "compress.method.prune": ("pruning", "élagage"),
    "compress.method.prune-ft": ("pruning + fine-tune", "élagage + réentraînement"),
    "compress.method.distill": ("distillation (student)", "distillation (élève)"),
    "compress.method.original": ("original", "original"),
    "compress.method.distill-alone": ("same student, no teacher", "même élève, sans professeur"),
    "compress.method_help.int8": (
        "The weights of the fully connected (Linear) layers are stored as 8-bit integers with one scale per layer; activations are quantized on the fly. PyTorch's `quantize_dynamic`.",
        "Les poids des couches entièrement connectées (Linear) sont stockés en entiers de 8 bits, avec un facteur d'échelle par couche ; les activations sont quantifiées à la volée. `quantize_dynamic` de PyTorch.",
    ),
    "compress.method_help.int8-static": (
        "Convolutions too, and the activations: their ranges are measured first on calibration inputs the test never sees. PyTorch FX graph mode (`prepare_fx` → calibrate → `convert_fx`).",
        "Les convolutions aussi, et les activations : leurs plages sont d'abord mesurées sur des entrées de calibration que le test ne voit jamais. Mode graphe FX de PyTorch (`prepare_fx` → calibration → `convert_fx`).",
    ),
    "compress.method_help.fp16": (
        "Every weight rounded to 16-bit floating point: half the file. This CPU has no fast float16 arithmetic, so the model computes in float32 from the rounded weights.",
        "Chaque poids arrondi en virgule flottante sur 16 bits : deux fois moins de place. Ce processeur n'a pas de calcul rapide en float16 : le modèle calcule en float32 à partir des poids arrondis.",
    ),
    "compress.method_help.bf16": (
        "Weights and arithmetic in bfloat16 (float32's range, fewer digits). Speed depends on the processor: without bfloat16 instructions it can be slower.",
        "Poids et calculs en bfloat16 (l'étendue du float32, moins de chiffres). La vitesse dépend du processeur : sans instructions bfloat16, cela peut être plus lent.",
    ),
    "compress.method_help.prune": (
        "The given share of the smallest weights (in absolute value, over all layers together) are set to zero. The file only shrinks once compressed (zeros zip well); dense arithmetic is not faster.",
        "La part choisie des plus petits poids (en valeur absolue, toutes couches confondues) est mise à zéro. Le fichier ne rétrécit qu'une fois compressé (les zéros se compressent bien) ; le calcul dense n'est pas plus rapide.",
    ),
    "compress.method_help.prune-ft": (
        "Pruning, then one short epoch of training on the training digits with the pruned weights held at zero: the network repairs itself around the holes.",
        "Élagage, puis une courte époque d'entraînement sur les chiffres d'entraînement, les poids élagués restant à zéro : le réseau se répare autour des trous.",
    ),
    "compress.method_help.distill": (
        "A student network about 12× smaller learns from the teacher's softened probabilities (temperature 4) and from the labels, live (about 15 s). The same student trained on the labels alone is the control.",
        "Un réseau élève environ 12 fois plus petit apprend des probabilités adoucies du professeur (température 4) et des étiquettes, en direct (environ 15 s). Le même élève entraîné sur les seules étiquettes sert de témoin.",
    ),
    "compress.method_help.whisper": (
        "Whisper tiny.en comes ready-made as two CTranslate2 engines on the same weights file: float32 and int8. Nothing is computed here but the measurements.",
        "Whisper tiny.en existe tout prêt en deux moteurs CTranslate2 sur le même fichier de poids : float32 et int8. Ici, seules les mesures sont calculées.",
    ),
    "compress.stage.waiting": ("Starting…", "Démarrage…"),
    "compress.stage.queued": ("Waiting for a free slot on the server…", "En attente d'une place libre sur le serveur…"),
    "compress.stage.loading": ("Loading the model…", "Chargement du modèle…"),
    "compress.stage.compressing": ("Compressing…", "Compression…"),
    "compress.stage.fine_tuning": ("Fine-tuning the pruned network…", "Réentraînement du réseau élagué…"),
    "compress.stage.training_student": ("Training the student with its teacher…", "Entraînement de l'élève avec son professeur…"),
    "compress.stage.training_alone": ("Training the same student alone…", "Entraînement du même élève seul…"),
    "compress.stage.measuring": ("Measuring size, speed and accuracy…", "Mesure de la taille, de la vitesse et de la précision…"),
    "compress.stage.done": ("Done", "Terminé"),
    "compress.background": (
        "The work runs on the server in the background: you may change page and come back, the result will be waiting.",
        "Le travail tourne sur le serveur en arrière-plan : vous pouvez changer de page et revenir, le résultat vous attendra.",
    ),
    "compress.result_title": ("{model} · {method}", "{model} · {method}"),
    "compress.metric.size": ("File size", "Taille du fichier"),
    "compress.metric.zip": ("Zipped file", "Fichier compressé (zip)"),
    "compress.metric.latency": ("Latency (p50, 1 thread)", "Latence (médiane, 1 fil)"),
    "compress.metric.accuracy": ("Accuracy", "Précision"),
    "compress.metric.memory": ("Weights in memory", "Poids en mémoire"),
    "compress.metric.ct2_file": ("model.bin on disk (float16)", "model.bin sur disque (float16)"),
    "compress.ratio": ("{ratio:.1f}× smaller", "{ratio:.1f}× plus petit"),
    "compress.speedup": ("{ratio:.2f}× the speed", "{ratio:.2f}× la vitesse"),
    "compress.mb": ("{value:.2f} MB", "{value:.2f} Mo"),
    "compress.kb": ("{value:.0f} KB", "{value:.0f} Ko"),
    "compress.ms": ("{value:.2f} ms", "{value:.2f} ms"),
    "compress.ms_big": ("{value:,.0f} ms", "{value:,.0f} ms"),
    "compress.percent": ("{value:.1%}", "{value:.1%}"),
    "compress.points": ("{value:+.1f} points", "{value:+.1f} points"),
    "compress.before": ("before: {value}", "avant : {value}"),
    "compress.measured_on": ("Accuracy measured on: {what}", "Précision mesurée sur : {what}"),
    "compress.eval.digits": (
        "the {n:,} held-out MNIST digits (100 per digit, never seen in training)",
        "les {n:,} chiffres MNIST mis de côté (100 par chiffre, jamais vus à l'entraînement)",
    ),
    "compress.eval.sentiment": (
        "the {n:,} English check sentences of the sentiment page (3 classes)",
        "les {n:,} phrases anglaises de contrôle de la page sentiment (3 classes)",
    ),
    "compress.eval.imagenet": (
        "{n:,} views (7 packaged photos × 3: centred, mirrored, zoomed) with hand-checked ImageNet labels — a small set: one view is {step:.1%}",
        "{n:,} vues (7 photos fournies × 3 : centrée, miroir, zoomée) aux classes ImageNet vérifiées à la main — un petit jeu : une vue pèse {step:.1%}",
    ),
    "compress.eval.detection": (
        "the {n:,} objects known to be in the 5 bundled sample photos (found = detected with confidence ≥ 25 %)",
        "les {n:,} objets présents dans les 5 photos d'exemple (trouvé = détecté avec une confiance ≥ 25 %)",
    ),
    "compress.eval.whisper": (
        "1 − word error rate on the recorded English clips ({n:,} words)",
        "1 − taux d'erreur sur les mots, sur les extraits anglais enregistrés ({n:,} mots)",
    ),
    "compress.same_answers": (
        "Same top answer as the original on {share:.0%} of the views.",
        "Même première réponse que l'original sur {share:.0%} des vues.",
    ),
    "compress.sparsity": ("{share:.0%} of the weights are now zero.", "{share:.0%} des poids valent maintenant zéro."),
    "compress.prune_size_note": (
        "Pruning leaves the plain file the same size: zeros take as much room as any number. Zipped (or stored sparse) it shrinks — and only special sparse kernels or hardware would make it faster.",
        "L'élagage laisse le fichier brut à la même taille : un zéro prend autant de place qu'un autre nombre. Compressé (ou stocké en creux), il rétrécit — et seuls des calculs creux spécialisés ou un matériel dédié le rendraient plus rapide.",
    ),
    "compress.fine_tuned": ("Fine-tuned for {epochs} epoch in {seconds:.0f} s.", "Réentraîné {epochs} époque en {seconds:.0f} s."),
    "compress.calibrated": ("Calibrated on {n:,} inputs the test never sees.", "Calibré sur {n:,} entrées que le test ne voit jamais."),
    "compress.distill_summary": (
        "Student: {student:,} weights, {times:.0f}× fewer than the teacher's {teacher:,}. With the teacher: {acc_kd:.1%} accuracy, agrees with the teacher on {agree_kd:.1%} of the digits ({kd_s:.0f} s of training). Alone, same recipe: {acc_alone:.1%}, agrees on {agree_alone:.1%} ({alone_s:.0f} s).",
        "Élève : {student:,} poids, {times:.0f}× moins que les {teacher:,} du professeur. Avec le professeur : {acc_kd:.1%} de précision, d'accord avec le professeur sur {agree_kd:.1%} des chiffres ({kd_s:.0f} s d'entraînement). Seul, même recette : {acc_alone:.1%}, d'accord sur {agree_alone:.1%} ({alone_s:.0f} s).",
    ),
    "compress.distill_better": ("The teacher's soft answers made the student closer to it.", "Les réponses nuancées du professeur ont rapproché l'élève de lui."),
    "compress.distill_not_better": (
        "This time the teacher did not bring the student closer to it: on such a small student and data set the gain is small and varies.",
        "Cette fois, le professeur n'a pas rapproché l'élève de lui : avec un si petit élève et si peu de données, le gain est faible et varie.",
    ),
    "compress.whisper_note": (
        "Both engines read the same {file:.0f} MB model.bin (stored in float16); CTranslate2 converts it when loading: float32 weights take {before:.0f} MB of memory, int8 {after:.0f} MB. WER before {wer_before:.1%}, after {wer_after:.1%}.",
        "Les deux moteurs lisent le même model.bin de {file:.0f} Mo (stocké en float16) ; CTranslate2 le convertit au chargement : les poids float32 occupent {before:.0f} Mo de mémoire, int8 {after:.0f} Mo. Taux d'erreur avant {wer_before:.1%}, après {wer_after:.1%}.",
    ),
    "compress.download": ("Download the compressed weights (safetensors)", "Télécharger les poids compressés (safetensors)"),
    "compress.download_help": (
        "Plain tensors: int8 values with their scales and zero points for quantized layers. Load them into the same architecture (see the docs page).",
        "Des tenseurs simples : valeurs int8 avec leurs échelles et zéros pour les couches quantifiées. À charger dans la même architecture (voir la page de documentation).",
    ),
    "compress.download_dropped": (
        "The file was released from memory to make room; compress again to download it.",
        "Le fichier a été libéré de la mémoire pour faire de la place ; recompressez pour le télécharger.",
    ),
    "compress.no_download_whisper": (
        "Nothing to download: both Whisper engines come from the installed package.",
        "Rien à télécharger : les deux moteurs Whisper viennent du paquet installé.",
    ),
    "compress.chart_title": ("Every variant tried in this session", "Toutes les variantes essayées dans cette session"),
    "compress.chart_axis": ("Horizontal axis", "Axe horizontal"),
    "compress.axis.size": ("file size (MB, log)", "taille du fichier (Mo, log)"),
    "compress.axis.zip": ("zipped size (MB, log)", "taille compressée (Mo, log)"),
    "compress.axis.latency": ("latency (ms, log)", "latence (ms, log)"),
    "compress.chart_accuracy": ("accuracy on its check set", "précision sur son jeu de contrôle"),
    "compress.chart_help": (
        "Best is top-left: small (or fast) and accurate. Each model has its own check set: compare points of one colour.",
        "Le mieux est en haut à gauche : petit (ou rapide) et précis. Chaque modèle a son propre jeu de contrôle : comparez les points d'une même couleur.",
    ),
    "compress.col.model": ("model", "modèle"),
    "compress.col.method": ("method", "méthode"),
    "compress.table_title": ("All figures", "Tous les chiffres"),
    "compress.phone_title": ("On a phone?", "Sur un téléphone ?"),
    "compress.phone.tiny": (
        "At {size:.2f} MB this fits anywhere: in a phone app, even in a web page or a microcontroller-class device. Phone runtimes (LiteRT/TensorFlow Lite, Core ML, ExecuTorch, ONNX Runtime Mobile) run int8 models on the phone's NPU or DSP.",
        "Avec {size:.2f} Mo, il tient partout : dans une appli, même dans une page web ou un petit microcontrôleur. Les moteurs des téléphones (LiteRT/TensorFlow Lite, Core ML, ExecuTorch, ONNX Runtime Mobile) exécutent les modèles int8 sur la puce neuronale (NPU) ou le DSP du téléphone.",
    ),
    "compress.phone.app": (
        "At {size:.0f} MB it is a normal size for a phone app; a recent phone's NPU runs such int8 networks in milliseconds, and the data never leaves the phone (privacy, no network needed).",
        "Avec {size:.0f} Mo, c'est une taille normale pour une appli ; la puce neuronale d'un téléphone récent exécute ces réseaux int8 en quelques millisecondes, et les données ne quittent pas le téléphone (confidentialité, pas besoin de réseau).",
    ),
    "compress.phone.heavy": (
        "At {size:.0f} MB it would run on a phone but weighs on the download and the memory; int8 (or 4-bit) versions are what phones ship.",
        "Avec {size:.0f} Mo, il tournerait sur un téléphone mais pèse lourd au téléchargement et en mémoire ; ce sont les versions int8 (ou 4 bits) qu'on embarque.",
    ),
    "compress.phone_caveat": (
        "An estimate from the size, not a measurement: no phone was used here; latency above is this server's CPU on one thread.",
        "Une estimation d'après la taille, pas une mesure : aucun téléphone n'a servi ici ; la latence ci-dessus est celle du processeur de ce serveur, sur un fil.",
    ),
    "compress.no_variants": ("Compress something to see it on the chart.", "Compressez quelque chose pour le voir sur le graphique."),
    "compress.query_ignored": (
        "The link asked for “{value}”, which this page does not know: the default is shown instead.",
        "Le lien demandait « {value} », que cette page ne connaît pas : la valeur par défaut est affichée à la place.",
    ),
    "compress.work_time": ("Compressed and measured in {seconds:.1f} s.", "Compressé et mesuré en {seconds:.1f} s."),
    "compress.how": (
        """**Why compress?** A trained network is millions of numbers stored as 32-bit floats. Storing, loading and multiplying them costs memory, time and energy — too much for a phone, a camera or a busy server. Three families of methods trade a little accuracy for a lot of room:

- **Quantization** stores each weight in fewer bits. *int8* maps the weights of a layer onto 256 levels with one scale (and zero point): 4× smaller than float32. *Dynamic* quantization does it for the weights of linear layers and quantizes activations on the fly; *static* quantization also fixes the activations' ranges in advance, measured on a few *calibration* inputs, so that convolutions run in integers too. *float16/bfloat16* keep floating point on 16 bits: 2× smaller.
- **Pruning** removes the weights that matter least — here the smallest in absolute value (*magnitude pruning*), over all layers together. Removing many weights hurts, but a short **fine-tune** lets the remaining ones compensate. Zeros only save room once the file is compressed or stored sparse, and only sparse kernels or hardware make them faster.
- **Knowledge distillation** trains a small *student* to imitate a big *teacher*: not only the right label, but the teacher's whole softened probability distribution (divided by a *temperature*), which says which wrong answers are almost right. The student is compared with the same student trained on labels alone.

**How it is measured here.** Each variant is measured now, on this server: the size of its weights saved as a safetensors file (and zipped), its weights, the median (p50) time of one inference on one CPU thread, and its accuracy on a check set it never trained on. Each model has its own check set — compare a model with its own variants.

**Edge AI.** Phones run networks designed small (MobileNet, EfficientNet-Lite — the one here was made for int8) and compressed (int8, 4-bit), on their neural chips, so that data stays on the device.""",
        """**Pourquoi compresser ?** Un réseau entraîné, ce sont des millions de nombres stockés en flottants de 32 bits. Les stocker, les charger et les multiplier coûte de la mémoire, du temps et de l'énergie — trop pour un téléphone, une caméra ou un serveur chargé. Trois familles de méthodes échangent un peu de précision contre beaucoup de place :

- **La quantification** stocke chaque poids sur moins de bits. *int8* ramène les poids d'une couche sur 256 niveaux avec une échelle (et un zéro) : 4 fois plus petit que le float32. La quantification *dynamique* le fait pour les poids des couches linéaires et quantifie les activations à la volée ; la quantification *statique* fixe aussi à l'avance les plages des activations, mesurées sur quelques entrées de *calibration*, pour que les convolutions calculent elles aussi en entiers. *float16/bfloat16* gardent la virgule flottante sur 16 bits : 2 fois plus petit.
- **L'élagage** retire les poids qui comptent le moins — ici les plus petits en valeur absolue (*élagage par magnitude*), toutes couches confondues. En retirer beaucoup fait mal, mais un court **réentraînement** permet aux poids restants de compenser. Les zéros ne font gagner de la place qu'une fois le fichier compressé ou stocké en creux, et seuls des calculs creux spécialisés ou un matériel dédié les rendent plus rapides.
- **La distillation des connaissances** entraîne un petit *élève* à imiter un gros *professeur* : pas seulement la bonne étiquette, mais toute la distribution de probabilités adoucie du professeur (divisée par une *température*), qui dit quelles mauvaises réponses sont presque justes. L'élève est comparé au même élève entraîné sur les seules étiquettes.

**Comment c'est mesuré ici.** Chaque variante est mesurée maintenant, sur ce serveur : la taille de ses poids enregistrés en fichier safetensors (et compressé), ses poids, le temps médian (p50) d'une inférence sur un seul fil du processeur, et sa précision sur un jeu de contrôle jamais vu à l'entraînement. Chaque modèle a son propre jeu de contrôle — comparez un modèle à ses propres variantes.

**L'IA embarquée.** Les téléphones exécutent des réseaux conçus petits (MobileNet, EfficientNet-Lite — celui d'ici a été pensé pour l'int8) et compressés (int8, 4 bits), sur leurs puces neuronales, pour que les données restent sur l'appareil.""",
    ),
    "error.compress_no_method": ("Please choose a compression method.", "Choisissez une méthode de compression."),
    "error.compress_unknown_method": (
        "Unknown method “{method}”: use int8, int8-static, fp16, bf16, prune:AMOUNT, prune-ft:AMOUNT or distill.",
        "Méthode inconnue « {method} » : utilisez int8, int8-static, fp16, bf16, prune:QUANTITÉ, prune-ft:QUANTITÉ ou distill.",
    ),
    "error.compress_bad_amount": (
        "The share of weights to prune must be a whole percentage from {low} to {high}.",
        "La part de poids à élaguer doit être un pourcentage entier de {low} à {high}.",
    ),
    "error.compress_not_applicable": (
        "{method} does not apply to {model}; it takes: {allowed}.",
        "{method} ne s'applique pas à {model} ; il accepte : {allowed}.",
    ),
    "error.compress_not_compressible": (
        "{model} is not one of the models this page compresses ({models}).",
        "{model} ne fait pas partie des modèles que cette page compresse ({models}).",
    ),
    "error.compress_failed": (
        "The compression failed ({kind}); the server logged it. Try another method.",
        "La compression a échoué ({kind}) ; le serveur l'a noté. Essayez une autre méthode.",
    ),
}
