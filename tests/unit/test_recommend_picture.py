"""The film map picture: the user's films and the recommendations land where their coordinates say."""

import io

import numpy as np
from PIL import Image
from PIL.ImageColor import getrgb as rgb

from dl_apps.tasks.recommend.picture import LIKED_COLOUR, RECOMMENDED_COLOUR, film_map_picture, film_map_png, to_pixels


def test_liked_and_recommended_films_are_drawn_at_their_places():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=300), rng.normal(size=300)
    x[:2], y[:2] = [x.min() - 1, x.max() + 1], [y.min() - 1, y.max() + 1]  # opposite corners, far from the crowd
    image = film_map_picture(x, y, liked=[0], recommended=[1], width=400, height=300)
    assert image.size == (400, 300) and image.mode == "RGB"
    columns, rows = to_pixels(x, y, 400, 300)
    liked_pixel = image.getpixel((int(columns[0]), int(rows[0])))
    assert liked_pixel == rgb(LIKED_COLOUR)
    assert columns[0] < 30 and rows[0] > 270  # lowest x and y: bottom left, y grows upwards
    near_recommended = [image.getpixel((int(columns[1]) + dx, int(rows[1]))) for dx in (-6, 6)]
    assert rgb(RECOMMENDED_COLOUR) in near_recommended  # the diamond around its rank number


def test_degenerate_maps_do_not_fail():
    for x, y in (([], []), ([1.0], [1.0]), ([2.0, 2.0], [float("nan"), 3.0])):
        image = film_map_picture(x, y, liked=[0, 5, -1], recommended=[0, 99])
        assert image.size == (560, 460)


def test_background_is_reused_but_never_shared_between_answers():
    x, y = np.linspace(0, 1, 50), np.linspace(0, 1, 50)
    first = film_map_picture(x, y, liked=[0], recommended=[])
    second = film_map_picture(x, y, liked=[], recommended=[])
    columns, rows = to_pixels(x, y, 560, 460)
    assert first.getpixel((int(columns[0]), int(rows[0]))) == rgb(LIKED_COLOUR)
    assert second.getpixel((int(columns[0]), int(rows[0]))) != rgb(LIKED_COLOUR)


def test_png_holds_the_same_picture():
    x, y = np.linspace(0, 1, 40), np.cos(np.linspace(0, 3, 40))
    png = film_map_png(x, y, liked=[3], recommended=[7, 9])
    assert png.startswith(b"\x89PNG")
    assert list(Image.open(io.BytesIO(png)).convert("RGB").getdata()) == list(film_map_picture(x, y, [3], [7, 9]).getdata())
