"""Strings of the image generation page."""

STRINGS = {
    "generate.title": ("Image generation", "Génération d'images"),
    "generate.tagline": (
        "Pick what to draw and watch a **diffusion model** turn pure noise into a picture, step by step. The models are small `diffusers` UNets trained by this project on the CPU: **handwritten digits** (16×16) and **Fashion-MNIST clothes** (28×28).",
        "Choisissez quoi dessiner et regardez un **modèle de diffusion** transformer du bruit pur en image, étape par étape. Les modèles sont de petits UNet `diffusers` entraînés par ce projet sur CPU : **chiffres manuscrits** (16×16) et **vêtements Fashion-MNIST** (28×28).",
    ),
    "generate.what": ("What to generate", "Quoi générer"),
    "generate.prompt": ("Describe the picture (English)", "Décrivez l'image (en anglais)"),
    "generate.prompt_default": ("a watercolour painting of a lighthouse", "a watercolour painting of a lighthouse"),
    "generate.settings": ("Settings", "Réglages"),
    "generate.n": ("Number of images", "Nombre d'images"),
    "generate.steps": ("Denoising steps", "Étapes de débruitage"),
    "generate.steps_help": (
        "How many times the network removes a bit of noise. More steps: finer pictures, but slower (time grows linearly). DDIM stays good with few steps; DDPM needs more.",
        "Combien de fois le réseau retire un peu de bruit. Plus d'étapes : images plus fines, mais plus lent (le temps croît linéairement). DDIM reste bon avec peu d'étapes ; DDPM en demande davantage.",
    ),
    "generate.scheduler": ("Scheduler", "Planificateur"),
    "generate.scheduler_help": (
        "DDIM walks back deterministically (same noise, same picture, even with few steps). DDPM adds fresh random noise at each step, as in the original paper.",
        "DDIM revient en arrière de façon déterministe (même bruit, même image, même avec peu d'étapes). DDPM ajoute un bruit aléatoire neuf à chaque étape, comme dans l'article d'origine.",
    ),
    "generate.guidance": ("Guidance scale", "Échelle de guidage"),
    "generate.guidance_help": (
        "Classifier-free guidance: 0 ignores the class (the model draws anything), 1 follows it plainly, higher values exaggerate what makes the class typical (clearer, but less varied).",
        "Guidage sans classifieur : 0 ignore la classe (le modèle dessine n'importe quoi), 1 la suit simplement, au-delà il exagère ce qui rend la classe typique (plus net, mais moins varié).",
    ),
    "generate.seed": ("Seed", "Graine"),
    "generate.seed_help": (
        "The starting noise comes from this number: the same seed with the same settings gives exactly the same pictures.",
        "Le bruit de départ vient de ce nombre : la même graine avec les mêmes réglages donne exactement les mêmes images.",
    ),
    "generate.surprise": ("🎲 Surprise me", "🎲 Surprenez-moi"),
    "generate.run": ("Generate", "Générer"),
    "generate.sample.eight_of": ("✏️ Eight × {label}, 50 DDIM steps", "✏️ Huit × {label}, 50 étapes DDIM"),
    "generate.sample.all_classes": ("🔟 One of each class", "🔟 Un de chaque classe"),
    "generate.sample.unconditional": ("🎰 No guidance (unconditional)", "🎰 Sans guidage (non conditionnel)"),
    "generate.sample.ddpm": ("🐢 {label} with DDPM, 200 steps", "🐢 {label} avec DDPM, 200 étapes"),
    "generate.progress": ("Denoising: step {done} of {total}", "Débruitage : étape {done} sur {total}"),
    "generate.live": ("The model's current guess of the clean images", "L'estimation actuelle des images propres par le modèle"),
    "generate.cancel_hint": (
        "A long generation can be stopped with Streamlit's Stop button (top right); other users are not blocked.",
        "Une longue génération peut être arrêtée avec le bouton Stop de Streamlit (en haut à droite) ; les autres utilisateurs ne sont pas bloqués.",
    ),
    "generate.results": ("{n} × {label}", "{n} × {label}"),
    "generate.unconditional_label": ("anything (guidance 0)", "n'importe quoi (guidage 0)"),
    "generate.summary": (
        "Seed {seed} · {steps} {scheduler} steps · guidance {guidance:g} · {step_ms:.1f} ms per step",
        "Graine {seed} · {steps} étapes {scheduler} · guidage {guidance:g} · {step_ms:.1f} ms par étape",
    ),
    "generate.strip": ("From noise to image (first picture)", "Du bruit à l'image (première image)"),
    "generate.strip_step": ("step {step}", "étape {step}"),
    "generate.download_png": ("Grid (PNG)", "Grille (PNG)"),
    "generate.download_zip": ("All images (ZIP)", "Toutes les images (ZIP)"),
    "generate.download_gif": ("Noise → image animation (GIF)", "Animation bruit → image (GIF)"),
    "generate.animation": ("Animation: noise → image", "Animation : bruit → image"),
    "generate.pick": ("Choose a sample above or set your own and press Generate.", "Choisissez un exemple ci-dessus ou réglez les vôtres et appuyez sur Générer."),
    "generate.forward_title": ("Try it: the forward process (adding noise)", "À vous : le processus direct (ajout de bruit)"),
    "generate.forward_intro": (
        "Training needs noisy versions of real images at every noise level t. Move t to see one real {label} as the network sees it during training.",
        "L'entraînement a besoin de versions bruitées d'images réelles à chaque niveau de bruit t. Déplacez t pour voir un vrai {label} tel que le réseau le voit à l'entraînement.",
    ),
    "generate.forward_t": ("Noise level t (0 = clean, 999 = pure noise)", "Niveau de bruit t (0 = propre, 999 = bruit pur)"),
    "generate.forward_caption": ("t = {t}: {signal:.0%} of the signal left", "t = {t} : il reste {signal:.0%} du signal"),
    "generate.forward_strip": ("The whole forward process", "Tout le processus direct"),
    "generate.how": (
        """**Diffusion in four ideas**

1. **Forward process (training data).** Take a real image and add Gaussian noise in 1,000 small steps until nothing is left: `x_t = √ᾱ_t · x_0 + √(1-ᾱ_t) · ε`. Any step t can be produced in one go (slider below).
2. **The UNet predicts the noise.** A convolutional network shaped like a U (down-sampling, then up-sampling with skip connections) sees the noisy image `x_t`, the step `t` and the class, and is trained to output the noise `ε` that was added (mean squared error).
3. **The scheduler walks back.** Generation starts from pure noise. At each of the chosen steps the UNet predicts the noise and the scheduler (**DDPM** or **DDIM**) removes part of it. The live view shows the model's current estimate of the clean image, `x̂_0`.
4. **Guidance.** During training the class is hidden 10% of the time, so the same network also learns an unconditional prediction. When sampling, `ε = ε_uncond + w · (ε_class − ε_uncond)`: **w = 0** ignores the class, **w = 1** follows it, **w > 1** exaggerates it (two UNet passes per step).

The digit model has about 1 million parameters and was trained in about half an hour on one CPU core; big text-to-image models follow the same recipe with a text encoder instead of a class and latents instead of pixels.""",
        """**La diffusion en quatre idées**

1. **Processus direct (données d'entraînement).** On prend une vraie image et on ajoute du bruit gaussien en 1 000 petites étapes jusqu'à ce qu'il ne reste rien : `x_t = √ᾱ_t · x_0 + √(1-ᾱ_t) · ε`. N'importe quelle étape t s'obtient d'un coup (curseur ci-dessous).
2. **Le UNet prédit le bruit.** Un réseau convolutif en forme de U (sous-échantillonnage, puis sur-échantillonnage avec connexions de saut) voit l'image bruitée `x_t`, l'étape `t` et la classe, et apprend à produire le bruit `ε` ajouté (erreur quadratique moyenne).
3. **Le planificateur revient en arrière.** La génération part du bruit pur. À chacune des étapes choisies, le UNet prédit le bruit et le planificateur (**DDPM** ou **DDIM**) en retire une partie. La vue en direct montre l'estimation actuelle de l'image propre, `x̂_0`.
4. **Le guidage.** À l'entraînement, la classe est cachée 10 % du temps : le même réseau apprend aussi une prédiction non conditionnelle. À la génération, `ε = ε_incond + w · (ε_classe − ε_incond)` : **w = 0** ignore la classe, **w = 1** la suit, **w > 1** l'exagère (deux passages du UNet par étape).

Le modèle des chiffres compte environ 1 million de paramètres et s'entraîne en une demi-heure environ sur un cœur de CPU ; les grands modèles texte-vers-image suivent la même recette, avec un encodeur de texte au lieu d'une classe et des latents au lieu de pixels.""",
    ),
    # class names (digits need no translation)
    "generate.class.diffusion-fashion.0": ("T-shirt/top", "T-shirt/haut"),
    "generate.class.diffusion-fashion.1": ("Trouser", "Pantalon"),
    "generate.class.diffusion-fashion.2": ("Pullover", "Pull-over"),
    "generate.class.diffusion-fashion.3": ("Dress", "Robe"),
    "generate.class.diffusion-fashion.4": ("Coat", "Manteau"),
    "generate.class.diffusion-fashion.5": ("Sandal", "Sandale"),
    "generate.class.diffusion-fashion.6": ("Shirt", "Chemise"),
    "generate.class.diffusion-fashion.7": ("Sneaker", "Basket"),
    "generate.class.diffusion-fashion.8": ("Bag", "Sac"),
    "generate.class.diffusion-fashion.9": ("Ankle boot", "Bottine"),
    "generate.digit": ("digit {label}", "chiffre {label}"),
    # errors and notices
    "error.generate_bad_count": (
        "The number of images must be a whole number from {low} to {high}.",
        "Le nombre d'images doit être un nombre entier de {low} à {high}.",
    ),
    "error.generate_bad_steps": (
        "The number of steps must be a whole number from {low} to {high}.",
        "Le nombre d'étapes doit être un nombre entier de {low} à {high}.",
    ),
    "error.generate_bad_seed": (
        "The seed must be a whole number from {low} to {high:,}.",
        "La graine doit être un nombre entier de {low} à {high:,}.",
    ),
    "error.generate_bad_guidance": (
        "The guidance scale must be a number from {low} to {high:g}.",
        "L'échelle de guidage doit être un nombre de {low} à {high:g}.",
    ),
    "error.generate_bad_scheduler": ("Unknown scheduler: choose DDIM or DDPM.", "Planificateur inconnu : choisissez DDIM ou DDPM."),
    "error.generate_unknown_label": (
        "This model cannot draw “{label}”. Choose one of: {choices}.",
        "Ce modèle ne sait pas dessiner « {label} ». Choisissez parmi : {choices}.",
    ),
    "error.generate_bad_scale": ("The scale must be a whole number from {low} to {high}.", "L'agrandissement doit être un nombre entier de {low} à {high}."),
    "error.generate_empty_prompt": ("Please describe the picture to generate.", "Décrivez l'image à générer."),
    "notice.generate_no_output_dir": ("No output folder was given: no files were written.", "Aucun dossier de sortie : aucun fichier n'a été écrit."),
}
