"""EN/FR strings of the model tier: its error messages, the fallback notice, the cache page's tier view."""

STRINGS = {
    "error.tier_unavailable": (
        "The model server cannot be reached right now. Please try again in a moment; if it keeps failing, tell the workshop host.",
        "Le serveur de modèles est injoignable pour le moment. Réessayez dans un instant ; si cela continue, prévenez l'animateur de l'atelier.",
    ),
    "error.tier_failed": (
        "The model server failed while answering this request (a worker may have restarted). Please try again.",
        "Le serveur de modèles a échoué en traitant cette demande (un processus a peut-être redémarré). Réessayez.",
    ),
    "error.tier_timeout": (
        "The model server did not answer within {seconds:.0f} s. Please try again.",
        "Le serveur de modèles n'a pas répondu en {seconds:.0f} s. Réessayez.",
    ),
    "error.tier_refused": (
        "The model server refused this request: the web server and the model server do not share the same token.",
        "Le serveur de modèles a refusé cette demande : le serveur web et le serveur de modèles n'ont pas le même jeton.",
    ),
    "notice.tier_fallback": (
        "The model server did not answer, so this result was computed on the web server itself.",
        "Le serveur de modèles n'a pas répondu : ce résultat a été calculé directement sur le serveur web.",
    ),
    "cache.tier.title": ("Model tier (Ray Serve)", "Serveur de modèles (Ray Serve)"),
    "cache.tier.embedded": (
        "Models run inside this web server process (backend: embedded).",
        "Les modèles tournent dans ce processus du serveur web (mode : embarqué).",
    ),
    "cache.tier.using": (
        "Backend: Ray Serve at {url}. Tasks served there: {tasks}; the other tasks run in this process.",
        "Mode : Ray Serve à l'adresse {url}. Tâches servies là-bas : {tasks} ; les autres tâches tournent dans ce processus.",
    ),
    "cache.tier.down": (
        "The model tier cannot be reached: {error}",
        "Le serveur de modèles est injoignable : {error}",
    ),
    "cache.tier.col.deployment": ("Deployment", "Déploiement"),
    "cache.tier.col.status": ("Status", "État"),
    "cache.tier.col.running": ("Replicas running", "Réplicas actifs"),
    "cache.tier.col.ongoing": ("Requests in progress", "Demandes en cours"),
    "cache.tier.col.waiting": ("Queued for a slot", "En attente d'une place"),
    "cache.tier.col.served": ("Answered", "Réponses"),
    "cache.tier.col.models": ("Models loaded", "Modèles chargés"),
    "cache.tier.col.memory": ("Replica memory (MB)", "Mémoire des réplicas (Mo)"),
    "cache.tier.inflight": ("Sent by this web server and not yet answered: {n}", "Envoyées par ce serveur web, sans réponse pour l'instant : {n}"),
}
