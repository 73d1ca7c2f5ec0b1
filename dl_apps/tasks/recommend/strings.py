"""Strings of the film recommendation page."""

STRINGS = {
    "recommend.title": ("Film recommendations", "Recommandation de films"),
    "recommend.tagline": (
        "Pick a few films you liked: a neural network trained here on 100,000 MovieLens ratings ranks the other 1,600 films for you and says **why** each one — and you can compare it with simpler algorithms.",
        "Choisissez quelques films que vous avez aimés : un réseau de neurones entraîné ici sur 100 000 notes MovieLens classe les 1 600 autres films pour vous et dit **pourquoi** chacun — et vous pouvez le comparer à des algorithmes plus simples.",
    ),
    "recommend.credit": (
        "Data: [MovieLens-100k](https://grouplens.org/datasets/movielens/100k/) © GroupLens Research, University of Minnesota (F. M. Harper & J. A. Konstan, 2015, *ACM TiiS* 5(4)). Licensed for **research and non-commercial use only**, without redistribution: it is read where pip installed it and the models are trained on this machine. Using this page for marketing or any commercial purpose needs GroupLens' permission.",
        "Données : [MovieLens-100k](https://grouplens.org/datasets/movielens/100k/) © GroupLens Research, Université du Minnesota (F. M. Harper et J. A. Konstan, 2015, *ACM TiiS* 5(4)). Licence **recherche et usage non commercial uniquement**, sans redistribution : elles sont lues là où pip les a installées et les modèles sont entraînés sur cette machine. Utiliser cette page pour du marketing ou tout usage commercial nécessite l'autorisation de GroupLens.",
    ),
    "recommend.no_data": (
        "MovieLens-100k is not installed on this server. An administrator can install it with `pip install recbole==1.2.1 --no-deps`, then run `python -m dl_apps train recommender`.",
        "MovieLens-100k n'est pas installé sur ce serveur. Un administrateur peut l'installer avec `pip install recbole==1.2.1 --no-deps`, puis lancer `python -m dl_apps train recommender`.",
    ),
    "recommend.training": (
        "First use on this server: training the neural recommender (about a minute, once)… {done:.0%}",
        "Première utilisation sur ce serveur : entraînement du recommandeur neuronal (environ une minute, une seule fois)… {done:.0%}",
    ),
    "recommend.trained": ("The neural recommender is trained and cached for everyone.", "Le recommandeur neuronal est entraîné et mis en cache pour tout le monde."),
    "recommend.profiles": ("Surprise me: a sample profile", "Surprenez-moi : un profil d'exemple"),
    "recommend.profile.scifi": ("🚀 Sci-fi fan", "🚀 Fan de SF"),
    "recommend.profile.comedy90s": ("😂 90s comedies", "😂 Comédies des années 90"),
    "recommend.profile.family": ("🧸 Family night", "🧸 Soirée en famille"),
    "recommend.profile.crime": ("🕵️ Crime & thrillers", "🕵️ Polars et thrillers"),
    "recommend.profile.classics": ("🎞️ Hitchcock & classics", "🎞️ Hitchcock et classiques"),
    "recommend.profile.romance": ("💕 Romance", "💕 Romance"),
    "recommend.liked_label": ("Films you liked (type to search)", "Films que vous avez aimés (tapez pour chercher)"),
    "recommend.liked_placeholder": ("Start typing a title, e.g. Star Wars", "Commencez à taper un titre, p. ex. Star Wars"),
    "recommend.liked_help": (
        "Titles are those of MovieLens (English, year in brackets; “Usual Suspects, The”). Up to {limit} films.",
        "Les titres sont ceux de MovieLens (en anglais, année entre parenthèses ; « Usual Suspects, The »). Jusqu'à {limit} films.",
    ),
    "recommend.paste_expander": ("…or paste a list of titles", "…ou collez une liste de titres"),
    "recommend.paste_label": ("Titles separated by “;”", "Titres séparés par « ; »"),
    "recommend.paste_help": (
        "Case does not matter and the year is optional; unknown titles are reported.",
        "La casse n'a pas d'importance et l'année est facultative ; les titres inconnus sont signalés.",
    ),
    "recommend.rate_toggle": ("Rate my films (explicit feedback)", "Noter mes films (retour explicite)"),
    "recommend.rate_help": (
        "Without stars, each film counts as 4 stars (“liked it”). 1–2 stars tell the model what you did not like.",
        "Sans étoiles, chaque film compte pour 4 étoiles (« aimé »). 1 à 2 étoiles indiquent au modèle ce que vous n'avez pas aimé.",
    ),
    "recommend.col.film": ("film", "film"),
    "recommend.col.stars": ("stars", "étoiles"),
    "recommend.genres_label": ("Only these genres (optional)", "Seulement ces genres (facultatif)"),
    "recommend.genres_placeholder": ("All genres", "Tous les genres"),
    "recommend.k_label": ("How many films", "Combien de films"),
    "recommend.compare_toggle": ("Compare all algorithms side by side", "Comparer tous les algorithmes côte à côte"),
    "recommend.go": ("Recommend", "Recommander"),
    "recommend.results": ("Films for you", "Des films pour vous"),
    "recommend.fold_in.history_encoder": (
        "How you were folded in: your films (and stars) went through the model's history encoder in one forward pass — no retraining, the same computation as for the 943 MovieLens users it learned from.",
        "Comment vous avez été intégré : vos films (et vos étoiles) passent dans l'encodeur d'historique du modèle en une seule passe — sans réentraînement, le même calcul que pour les 943 utilisateurs MovieLens dont il a appris.",
    ),
    "recommend.fold_in.item_similarity": (
        "How you were folded in: each candidate film's score is the sum of its similarity to your films, weighted by your stars.",
        "Comment vous avez été intégré : le score de chaque film candidat est la somme de ses similarités avec vos films, pondérées par vos étoiles.",
    ),
    "recommend.fold_in.genre_profile": (
        "How you were folded in: your films' genres, weighted by your stars, make a genre profile compared with each film's genres.",
        "Comment vous avez été intégré : les genres de vos films, pondérés par vos étoiles, forment un profil comparé aux genres de chaque film.",
    ),
    "recommend.fold_in.none": (
        "This baseline ignores your films (except to leave them out): everybody gets the most rated films.",
        "Cette référence ignore vos films (sauf pour les exclure) : tout le monde reçoit les films les plus notés.",
    ),
    "recommend.because": ("Because you liked {titles}", "Parce que vous avez aimé {titles}"),
    "recommend.and": (" and ", " et "),
    "recommend.shares": ("shares {genres}", "en commun : {genres}"),
    "recommend.popular": ("popular: rated by {n:,} people", "populaire : noté par {n:,} personnes"),
    "recommend.rated_by": ("rated by {n:,} people", "noté par {n:,} personnes"),
    "recommend.score": ("score {score}", "score {score}"),
    "recommend.unknown_list": ("Not found, ignored: {titles}", "Introuvables, ignorés : {titles}"),
    "recommend.map_title": ("Map of the films", "Carte des films"),
    "recommend.map_help": (
        "Each dot is a film, placed by a 2-D projection (PCA) of the model's item embeddings: films liked by the same people end up close. Yours are blue, the recommendations orange. Hover to read titles, scroll to zoom.",
        "Chaque point est un film, placé par une projection 2-D (ACP) des embeddings de films du modèle : les films aimés par les mêmes personnes se retrouvent proches. Les vôtres sont en bleu, les recommandations en orange. Survolez pour lire les titres, molette pour zoomer.",
    ),
    "recommend.map_picture_help": (
        "Each dot is a film, placed by a 2-D projection (PCA) of the model's item embeddings: films liked by the same people end up close. :blue[●] your films, :orange[◆] the recommendations, numbered as in the list. Switch on the interactive map to read every title.",
        "Chaque point est un film, placé par une projection 2-D (ACP) des embeddings de films du modèle : les films aimés par les mêmes personnes se retrouvent proches. :blue[●] vos films, :orange[◆] les recommandations, numérotées comme dans la liste. Activez la carte interactive pour lire chaque titre.",
    ),
    "recommend.map_interactive": ("Interactive map (titles on hover, zoom)", "Carte interactive (titres au survol, zoom)"),
    "recommend.map_other_model": (
        "This algorithm has no embeddings: the map shows the neural model's.",
        "Cet algorithme n'a pas d'embeddings : la carte montre ceux du modèle neuronal.",
    ),
    "recommend.map.other": ("other films", "autres films"),
    "recommend.map.liked": ("your films", "vos films"),
    "recommend.map.recommended": ("recommended", "recommandés"),
    "recommend.compare_title": ("The same profile, every algorithm", "Le même profil, chaque algorithme"),
    "recommend.metrics_title": ("Measured quality on held-out ratings", "Qualité mesurée sur des notes mises de côté"),
    "recommend.metrics_help": (
        "Written by `python -m dl_apps train recommender`: for each of the {users:,} users, the latest rating was hidden, the model saw the others, and we checked where the hidden film landed in its top 10. NDCG also rewards ranking it higher; coverage is the share of the catalogue that ever gets recommended.",
        "Écrit par `python -m dl_apps train recommender` : pour chacun des {users:,} utilisateurs, la dernière note a été cachée, le modèle a vu les autres, et on a regardé où tombait le film caché dans son top 10. Le NDCG récompense aussi un meilleur rang ; la couverture est la part du catalogue qui est recommandée au moins une fois.",
    ),
    "recommend.metrics_missing": ("No metrics yet: run `python -m dl_apps train recommender`.", "Pas encore de métriques : lancez `python -m dl_apps train recommender`."),
    "recommend.col.algorithm": ("algorithm", "algorithme"),
    "recommend.col.recall": ("Recall@10", "Rappel@10"),
    "recommend.col.ndcg": ("NDCG@10", "NDCG@10"),
    "recommend.col.coverage": ("coverage", "couverture"),
    "recommend.algo.neural": ("Neural (embeddings + MLP)", "Neuronal (embeddings + MLP)"),
    "recommend.algo.itemknn": ("Item-item (co-occurrence)", "Film-film (co-occurrence)"),
    "recommend.algo.genre": ("Genres (content)", "Genres (contenu)"),
    "recommend.algo.popularity": ("Popularity (baseline)", "Popularité (référence)"),
    "recommend.star_weights_title": ("Inside the neural model: what a star is worth", "Dans le modèle neuronal : ce que vaut une étoile"),
    "recommend.star_weights_help": (
        "The model learned one weight per star rating; a film you rated is added to your profile with that weight. Explicit feedback (stars) thus matters — but even a 1-star film says something: you watched it (implicit feedback).",
        "Le modèle a appris un poids par nombre d'étoiles ; un film noté entre dans votre profil avec ce poids. Le retour explicite (étoiles) compte donc — mais même un film à 1 étoile dit quelque chose : vous l'avez regardé (retour implicite).",
    ),
    "recommend.col.weight": ("learned weight", "poids appris"),
    "recommend.genre.Action": ("Action", "Action"),
    "recommend.genre.Adventure": ("Adventure", "Aventure"),
    "recommend.genre.Animation": ("Animation", "Animation"),
    "recommend.genre.Children's": ("Children's", "Jeunesse"),
    "recommend.genre.Comedy": ("Comedy", "Comédie"),
    "recommend.genre.Crime": ("Crime", "Policier"),
    "recommend.genre.Documentary": ("Documentary", "Documentaire"),
    "recommend.genre.Drama": ("Drama", "Drame"),
    "recommend.genre.Fantasy": ("Fantasy", "Fantastique"),
    "recommend.genre.Film-Noir": ("Film noir", "Film noir"),
    "recommend.genre.Horror": ("Horror", "Horreur"),
    "recommend.genre.Musical": ("Musical", "Comédie musicale"),
    "recommend.genre.Mystery": ("Mystery", "Mystère"),
    "recommend.genre.Romance": ("Romance", "Romance"),
    "recommend.genre.Sci-Fi": ("Sci-Fi", "Science-fiction"),
    "recommend.genre.Thriller": ("Thriller", "Thriller"),
    "recommend.genre.War": ("War", "Guerre"),
    "recommend.genre.Western": ("Western", "Western"),
    "error.no_liked_films": ("Please choose at least one film you liked.", "Choisissez au moins un film que vous avez aimé."),
    "error.unknown_titles": (
        "No film of the catalogue matches {titles}. Close titles: {suggestions}.",
        "Aucun film du catalogue ne correspond à {titles}. Titres proches : {suggestions}.",
    ),
    "error.bad_stars": ("Ratings must be whole stars from 1 to 5.", "Les notes doivent être des étoiles entières de 1 à 5."),
    "error.bad_list_length": (
        "The number of films must be a whole number from 1 to {limit}.",
        "Le nombre de films doit être un entier de 1 à {limit}.",
    ),
    "error.no_match_for_genres": (
        "No film is left with these genres: choose other genres.",
        "Il ne reste aucun film de ces genres : choisissez d'autres genres.",
    ),
    "notice.unknown_titles": (
        "Not in the catalogue, ignored: {titles}. Close titles: {suggestions}.",
        "Absents du catalogue, ignorés : {titles}. Titres proches : {suggestions}.",
    ),
    "notice.too_many_liked": (
        "Only the first {limit} of the {given:,} films found were used.",
        "Seuls les {limit} premiers des {given:,} films trouvés ont été utilisés.",
    ),
    "notice.titles_cut": (
        "Only the first {limit:,} of the {given:,} titles given were read.",
        "Seuls les {limit:,} premiers des {given:,} titres donnés ont été lus.",
    ),
    "notice.k_capped": (
        "At most {limit} films are listed (you asked for {asked:,}).",
        "Au plus {limit} films sont listés (vous en avez demandé {asked:,}).",
    ),
    "recommend.how": (
        "**Feedback.** MovieLens users gave 1–5 stars: that is *explicit* feedback. Most real systems only see *implicit* feedback — what you clicked, watched, bought. This model uses both: *that* you rated a film, and *how many stars*.\n\n"
        "**Embeddings.** Each film gets a vector of 64 numbers, learned from who rated what — no one told the model what “sci-fi” is. Films liked by the same people end up with similar vectors (see the map).\n\n"
        "**Your taste as a vector.** The model averages the vectors of your films (each scaled by a learned weight for its stars) and passes the average through a small neural network (an MLP) to get *your* vector.\n\n"
        "**Dot product.** A film's score is the dot product of your vector with the film's vector (plus how generally liked the film is): large when they point the same way. The top scores, minus the films you gave, are your list; the “because you liked” reason names your film whose vector is closest to the recommendation's.\n\n"
        "**Training.** For each of the 943 MovieLens users, half of their films were hidden at random and the model learned to rank the hidden ones first (a softmax over all films), 100 times over the data — about a minute on a CPU. Because it learned to complete *partial* histories, a new user like you needs no retraining: your picks are simply a short history (*fold-in*).\n\n"
        "**Baselines.** *Popularity* recommends the most rated films to everybody: hard to beat on accuracy, useless for discovery (look at its coverage). *Item-item* counts which films are rated by the same people. *Genres* only looks at genre labels, so it also works for a brand-new film nobody has rated (*cold start*).\n\n"
        "**What it does not do.** It predicts what you will watch next, a short-term objective. Keeping users satisfied over months (diversity, not trapping people in a bubble) is a long-term objective that reinforcement learning approaches study; this demo does not implement it.",
        "**Retour.** Les utilisateurs de MovieLens ont donné 1 à 5 étoiles : c'est un retour *explicite*. La plupart des systèmes réels ne voient qu'un retour *implicite* — ce que vous avez cliqué, regardé, acheté. Ce modèle utilise les deux : *le fait* d'avoir noté un film, et *combien d'étoiles*.\n\n"
        "**Embeddings.** Chaque film reçoit un vecteur de 64 nombres, appris à partir de qui a noté quoi — personne n'a dit au modèle ce qu'est la « SF ». Les films aimés par les mêmes personnes obtiennent des vecteurs proches (voir la carte).\n\n"
        "**Vos goûts en un vecteur.** Le modèle fait la moyenne des vecteurs de vos films (chacun multiplié par un poids appris selon ses étoiles) et la passe dans un petit réseau de neurones (un MLP) pour obtenir *votre* vecteur.\n\n"
        "**Produit scalaire.** Le score d'un film est le produit scalaire de votre vecteur avec celui du film (plus un terme pour sa popularité générale) : grand quand ils pointent dans la même direction. Les meilleurs scores, moins les films que vous avez donnés, forment votre liste ; la raison « parce que vous avez aimé » cite celui de vos films dont le vecteur est le plus proche de la recommandation.\n\n"
        "**Entraînement.** Pour chacun des 943 utilisateurs de MovieLens, la moitié de leurs films était cachée au hasard et le modèle apprenait à classer les films cachés en premier (un softmax sur tous les films), 100 fois sur les données — environ une minute sur CPU. Comme il a appris à compléter des historiques *partiels*, un nouvel utilisateur comme vous ne demande aucun réentraînement : vos choix sont simplement un court historique (*fold-in*).\n\n"
        "**Références.** *Popularité* recommande à tous les films les plus notés : difficile à battre en précision, inutile pour découvrir (voyez sa couverture). *Film-film* compte quels films sont notés par les mêmes personnes. *Genres* ne regarde que les étiquettes de genre, et marche donc aussi pour un film tout neuf que personne n'a noté (*démarrage à froid*).\n\n"
        "**Ce qu'il ne fait pas.** Il prédit ce que vous regarderez ensuite, un objectif à court terme. Garder des utilisateurs satisfaits sur des mois (diversité, ne pas enfermer dans une bulle) est un objectif à long terme qu'étudient les approches par apprentissage par renforcement ; cette démo ne l'implémente pas.",
    ),
}
