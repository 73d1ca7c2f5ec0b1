"""String catalogue modules: each defines STRINGS = {key: (english, french)}."""
