"""Adversarial attacks on real models: the committed digit CNNs and EfficientNet-Lite0."""

import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from dl_apps.tasks import attack
from dl_apps.datasets import mnist
from dl_apps.core import InputError
from dl_apps.registry import REPO_ROOT, get_model_spec

N_DIGITS = 200  # ≥ 100 held-out digits for the accuracy tests


@pytest.fixture(scope="module")
def models():
    """The two digit CNNs and EfficientNet-Lite0, loaded once for this module."""
    import torch

    torch.set_num_threads(1)
    return {
        model_id: get_model_spec(model_id, attack.TASK).resolve_loader()(get_model_spec(model_id, attack.TASK))
        for model_id in ("mnist-cnn", "mnist-cnn-robust", "efficientnet-lite0")
    }


@pytest.fixture(scope="module")
def digits():
    import torch

    split = mnist.test_split()
    images = torch.from_numpy(split.images[:N_DIGITS].astype(np.float32) / 255.0).unsqueeze(1)
    return images, torch.from_numpy(split.labels[:N_DIGITS].astype(np.int64))


def card_metrics(model_id: str) -> dict:
    return json.loads(get_model_spec(model_id, attack.TASK).option_path("metrics").read_text(encoding="utf-8"))


def png_bytes(array: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


# ------------------------------------------------------------- attack properties
@pytest.mark.parametrize("method", ["fgsm", "pgd"])
def test_eps_zero_changes_nothing(models, method):
    result = attack.predict(models["mnist-cnn"], mnist.test_digit(3)[0], method=method, eps=0.0, steps=5)
    assert result.linf == 0.0 and result.l2 == 0.0
    assert np.array_equal(result.adversarial_image, result.original_image)
    assert result.adversarial.label == result.original.label
    assert not result.success


@pytest.mark.parametrize("method", ["fgsm", "pgd"])
@pytest.mark.parametrize("eps", [0.02, 0.1, 0.3])
def test_perturbation_stays_within_eps_and_pixels_in_range(models, digits, method, eps):
    images, labels = digits
    net = models["mnist-cnn"].net
    adversarial = attack.attack_batch(net, images[:50], labels[:50], method, eps, steps=7)
    assert float((adversarial - images[:50]).abs().max()) <= eps + 1e-6
    assert float(adversarial.min()) >= 0.0 and float(adversarial.max()) <= 1.0


def test_attacks_increase_the_loss_and_pgd_beats_fgsm(models, digits):
    import torch
    from torch.nn import functional as F

    images, labels = digits
    net = models["mnist-cnn"].net
    with torch.no_grad():
        clean = F.cross_entropy(net(images), labels)
        after_fgsm = F.cross_entropy(net(attack.fgsm(net, images, labels, 0.1)), labels)
        after_pgd = F.cross_entropy(net(attack.pgd(net, images, labels, 0.1, steps=10)), labels)
    assert after_fgsm > clean
    assert after_pgd > after_fgsm


def test_fgsm_matches_an_independent_finite_difference_sign(models):
    """FGSM's direction is the sign of dLoss/dx: check it against central finite differences."""
    import torch
    from torch.nn import functional as F

    net = models["mnist-cnn"].net.double()
    try:
        image, label = mnist.test_digit(0)
        x = torch.from_numpy(image.astype(np.float64) / 255.0)[None, None]
        y = torch.tensor([label])
        step = (attack.fgsm(net, x, y, 0.01) - x).clamp(-1, 1)
        rng = np.random.default_rng(0)
        # Pixels away from the [0, 1] edges (FGSM's clipping) where the gradient is clearly non-zero.
        checked = 0
        for row, col in zip(rng.integers(4, 24, 200), rng.integers(4, 24, 200)):
            if not 0.05 < float(x[0, 0, row, col]) < 0.95:
                continue
            h = 1e-5
            plus, minus = x.clone(), x.clone()
            plus[0, 0, row, col] += h
            minus[0, 0, row, col] -= h
            with torch.no_grad():
                slope = (F.cross_entropy(net(plus), y) - F.cross_entropy(net(minus), y)) / (2 * h)
            if abs(float(slope)) < 1e-6:
                continue
            assert np.sign(float(step[0, 0, row, col])) == np.sign(float(slope))
            checked += 1
        assert checked >= 5
    finally:
        net.float()


def test_targeted_pgd_reaches_the_target(models):
    image, label = mnist.test_digit(1)  # a 1
    result = attack.predict(models["mnist-cnn"], image, method="pgd", eps=0.3, steps=40, target="7", true_label=label)
    assert result.target == "7"
    assert result.adversarial.label == "7" and result.success
    assert result.linf <= 0.3 + 1e-6


# ------------------------------------------------------- the defence, in numbers
@pytest.mark.slow
def test_pgd_breaks_the_standard_cnn_and_adversarial_training_helps(models, digits):
    """At the cards' reference ε, on 200 held-out digits: standard accuracy drops ≥ 50 points,
    the robust model keeps ≥ 30 points more; and both agree with the cards' figures."""
    images, labels = digits
    standard_card, robust_card = card_metrics("mnist-cnn"), card_metrics("mnist-cnn-robust")
    eps = standard_card["evaluation"]["reference_eps"]
    steps = standard_card["evaluation"]["pgd_steps"]
    measured = {}
    for model_id in ("mnist-cnn", "mnist-cnn-robust"):
        net = models[model_id].net
        measured[model_id] = (
            attack.accuracy(net, images, labels),
            attack.robust_accuracy(net, images, labels, "pgd", eps, steps=steps),
        )
    clean_std, attacked_std = measured["mnist-cnn"]
    clean_rob, attacked_rob = measured["mnist-cnn-robust"]
    assert clean_std >= 0.9
    assert clean_std - attacked_std >= 0.50, measured
    assert attacked_rob - attacked_std >= 0.30, measured
    # The cards' figures (1,000 digits) are what this subset shows, within sampling noise.
    for model_id, card in (("mnist-cnn", standard_card), ("mnist-cnn-robust", robust_card)):
        curve = card["evaluation"]["curve"]
        card_attacked = curve["pgd"][curve["eps"].index(eps)]
        assert abs(measured[model_id][1] - card_attacked) <= 0.10, (model_id, measured[model_id], card_attacked)
        assert abs(measured[model_id][0] - card["evaluation"]["clean_accuracy"]) <= 0.06


def test_cards_show_the_defence_on_all_1000_digits():
    summary = attack.defence_summary()
    assert summary is not None and summary["eps"] == 51
    assert summary["clean_standard"] - summary["standard"] >= 0.50
    assert summary["robust"] - summary["standard"] >= 0.30
    assert summary["cost"] > 1  # adversarial training took longer


def test_cards_state_the_measured_numbers():
    for model_id in ("mnist-cnn", "mnist-cnn-robust"):
        metrics = card_metrics(model_id)
        card = get_model_spec(model_id, attack.TASK).card_text()
        assert f"{metrics['evaluation']['clean_accuracy']:.1%}" in card
        assert not metrics["quick"]
        weights = get_model_spec(model_id, attack.TASK).option_path("weights")
        assert weights.stat().st_size < 2 * 1024 * 1024


def test_robustness_curves_come_from_the_metrics_files():
    rows = attack.robustness_curves()
    assert {row["model"] for row in rows} == {"mnist-cnn", "mnist-cnn-robust"}
    assert {row["method"] for row in rows} == {"FGSM", f"PGD-{card_metrics('mnist-cnn')['evaluation']['pgd_steps']}"}
    assert all(0.0 <= row["accuracy"] <= 1.0 for row in rows)


# ------------------------------------------------------------------- ImageNet
def test_efficientnet_classifies_bundled_photos(cache):
    coffee = attack.run(sample=0, method="fgsm", eps=0.0, model_id="efficientnet-lite0", cache=cache)
    assert coffee.original.label == "espresso" and coffee.original.score > 0.5
    cat = attack.run(sample=1, method="fgsm", eps=0.0, model_id="efficientnet-lite0", cache=cache)
    assert cat.original.label in {"tabby", "tiger cat", "Egyptian cat"}


def test_small_attack_flips_the_photo(cache):
    result = attack.run(sample=0, method="pgd", eps=2 / 255, steps=3, model_id="efficientnet-lite0", cache=cache)
    assert result.original.label == "espresso"
    assert result.adversarial.label != "espresso" and result.success
    assert result.linf <= 2 / 255 + 1e-6
    assert result.adversarial_image.shape == (224, 224, 3)
    assert result.png is not None and result.survives_png == (result.png.label == result.adversarial.label)


# ----------------------------------------------------- run(), results, round trip
def test_run_result_has_the_cli_keys(cache):
    result = attack.run(sample=7, method="pgd", eps=0.2, steps=10, cache=cache)
    data = result.to_dict()
    assert data["model"] == "mnist-cnn" and data["latency_ms"] > 0
    assert {"label", "score"} <= set(data["original"]) and {"label", "score"} <= set(data["adversarial"])
    assert 0 < data["linf"] <= 0.2 + 1e-6 and data["linf_255"] == pytest.approx(data["linf"] * 255, abs=0.01)
    assert len(data["top5_original"]) == 5 and "original_image" not in data
    json.dumps(data)  # JSON-able
    assert result.true_label == "7"


def test_downloaded_png_gives_the_reported_answer(cache):
    """Re-uploading the adversarial PNG gives exactly the 'after PNG rounding' prediction."""
    result = attack.run(sample=12, method="pgd", eps=0.25, steps=10, cache=cache)
    again = attack.run(image=attack.encode_png(result.adversarial_image), method="fgsm", eps=0.0, cache=cache)
    assert again.original.label == result.png.label
    assert again.original.score == pytest.approx(result.png.score, abs=1e-3)


def test_upload_of_dark_on_light_digit_is_inverted_and_fitted(cache):
    image, label = mnist.test_digit(5)
    big = np.kron(255 - image, np.ones((10, 10), dtype=np.uint8))  # 280×280, black ink on white
    result = attack.run(image=png_bytes(big), method="fgsm", eps=0.0, cache=cache)
    codes = [item["code"] for item in result.notices]
    assert "attack_inverted" in codes and "attack_resized_digit" in codes
    assert result.original.label == str(label)


def encoded(image, fmt: str, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def odd_uploads() -> dict:
    """One held-out digit (a 5) in file formats and modes people actually upload."""
    from PIL import Image

    digit = mnist.test_digit(5)[0]
    big = np.kron(digit, np.ones((6, 6), dtype=np.uint8))
    ink_alpha = np.zeros((168, 168, 4), dtype=np.uint8)
    ink_alpha[..., 3] = big  # black ink drawn on a transparent canvas
    exif = Image.Exif()
    exif[0x0112] = 8  # stored rotated: a viewer turns it 90° back upright
    return {
        "dark-on-light-28px": encoded(Image.fromarray(255 - digit), "PNG"),
        "16-bit-png": encoded(Image.fromarray(big.astype(np.uint16) * 257), "PNG"),
        "transparent-png": encoded(Image.fromarray(ink_alpha, "RGBA"), "PNG"),
        "gif": encoded(Image.fromarray(big), "GIF"),
        "exif-rotated-jpeg": encoded(Image.fromarray(np.rot90(big, -1).copy()).convert("RGB"), "JPEG", quality=95, exif=exif),
    }


@pytest.mark.parametrize("name", list(odd_uploads()))
def test_odd_image_formats_are_read_like_a_viewer_shows_them(cache, name):
    result = attack.run(image=odd_uploads()[name], method="fgsm", eps=0.0, cache=cache)
    assert result.original.label == "5", name


def test_huge_image_is_resized_with_a_notice(cache):
    photo = np.asarray(attack._imagenet_sample(0))
    huge = np.kron(photo, np.ones((6, 6, 1), dtype=np.uint8))  # 2400×3600
    result = attack.run(image=png_bytes(huge), method="fgsm", eps=0.0, model_id="efficientnet-lite0", cache=cache)
    assert [item["code"] for item in result.notices] == ["attack_resized_photo"]
    assert result.original.label == "espresso"


def test_steps_are_capped_with_a_notice(cache):
    result = attack.run(sample=0, method="pgd", eps=0.05, steps=1000, cache=cache)
    assert result.steps == attack.MAX_STEPS["digits"]
    assert "attack_steps_capped" in [item["code"] for item in result.notices]


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a giant size (the pixels never need decoding)."""
    import struct
    import zlib

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"sample": 0, "eps": -0.1}, "attack_bad_eps"),
        ({"sample": 0, "eps": 1.5}, "attack_bad_eps"),
        ({"sample": 0, "eps": "abc"}, "attack_bad_eps"),
        ({"sample": 0, "eps": float("nan")}, "attack_bad_eps"),
        ({"sample": 0, "steps": 0}, "attack_bad_steps"),
        ({"sample": 0, "steps": -3}, "attack_bad_steps"),
        ({"sample": 0, "steps": 2.5}, "attack_bad_steps"),
        ({"sample": 0, "step_size": 0}, "attack_bad_step_size"),
        ({"sample": 0, "method": "deepfool"}, "attack_bad_method"),
        ({"sample": 0, "target": "eleven"}, "attack_bad_target"),
        ({"sample": 5000}, "attack_bad_sample"),
        ({"sample": "first"}, "attack_bad_sample"),
        ({}, "image_missing"),
        ({"image": b""}, "empty_file"),
        ({"image": b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF"}, "image_not_an_image"),
        ({"image": b"\x89PNG\r\n\x1a\n" + b"\x00" * 40}, "image_not_an_image"),
        ({"image": huge_png_header(20_000, 20_000)}, "image_too_large"),
        ({"image": huge_png_header(9_000, 5_000)}, "image_too_large"),
        ({"image": b"\x00" * (attack.MAX_UPLOAD_BYTES + 1)}, "file_too_large"),
    ],
)
def test_bad_input_is_a_clear_error(cache, kwargs, code):
    with pytest.raises(InputError) as error:
        attack.run(cache=cache, **kwargs)
    assert error.value.code == code
    assert str(error.value)


def test_hub_model_offline_is_a_clear_error(cache):
    with pytest.raises(InputError) as error:
        attack.run(sample=0, method="fgsm", eps=0.01, model_id="resnet-50-hub", cache=cache)
    assert error.value.code == "attack_hub_unavailable" and "microsoft/resnet-50" in str(error.value)


def test_importing_the_module_is_cheap():
    code = "import sys, dl_apps.tasks.attack, dl_apps.nets.efficientnet_lite, dl_apps.datasets.mnist; print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


# ------------------------------------------------------------------------ CLI
def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO_ROOT / "tests" / "offline")}
    return subprocess.run([sys.executable, "-m", "dl_apps", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_cli_run_attack_json(tmp_path):
    done = cli("run", "attack", "--sample", "3", "--method", "pgd", "--eps", "0.1", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["model"] == "mnist-cnn" and result["latency_ms"] > 0
    assert result["original"]["label"] == "3" and result["linf"] <= 0.1 + 1e-6
    image = tmp_path / "digit.png"
    image.write_bytes(png_bytes(mnist.test_digit(4)[0]))
    done = cli("run", "attack", "--image", str(image), "--method", "fgsm", "--eps", "0.3", "--model", "mnist-cnn-robust", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["model"] == "mnist-cnn-robust"
    for bad in (["--eps", "2"], ["--steps", "0"], ["--image", str(tmp_path / "missing.png")]):
        done = cli("run", "attack", "--sample", "0", *bad, "--json") if bad[0] != "--image" else cli("run", "attack", *bad, "--json")
        assert done.returncode == 2, done.stdout
        assert list(json.loads(done.stdout)) == ["error"]


def test_cli_hooks_shape(cache):
    import argparse

    parser = argparse.ArgumentParser()
    attack.add_cli_arguments(parser)
    args = vars(parser.parse_args(["--sample", "2", "--method", "fgsm", "--eps", "0.2"]))
    result = attack.cli_run(args, None, cache)
    assert result.method == "fgsm" and result.original.label == "2"
    assert attack.cli_run(attack.bench_args(), "mnist-cnn", cache).latency_ms > 0


# ------------------------------------------------------------------- training
@pytest.mark.slow
def test_training_script_quick_run(tmp_path):
    from dl_apps.train import mnist_cnn

    assert mnist_cnn.main(["--quick", "--epochs", "1", "--out", str(tmp_path)]) == 0
    for name in ("mnist-cnn", "mnist-cnn-robust"):
        folder = tmp_path / name
        metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
        assert metrics["quick"] and 0.0 <= metrics["evaluation"]["clean_accuracy"] <= 1.0
        assert (folder / "weights.safetensors").stat().st_size > 100_000
        card = (folder / "card.md").read_text(encoding="utf-8")
        assert f"{metrics['evaluation']['clean_accuracy']:.1%}" in card
    assert "mnist-cnn-robust" in (tmp_path / "mnist-cnn" / "card.md").read_text(encoding="utf-8")


# ------------------------------------------- cross-check with an independent library
def test_fgsm_and_pgd_match_adversarial_robustness_toolbox(models, digits):
    """IBM's adversarial-robustness-toolbox (installed --no-deps, optional) implements the same attacks."""
    pytest.importorskip("art")
    import torch
    from art.attacks.evasion import FastGradientMethod, ProjectedGradientDescentPyTorch
    from art.estimators.classification import PyTorchClassifier

    net = models["mnist-cnn"].net
    images, labels = digits[0][:40], digits[1][:40]
    classifier = PyTorchClassifier(model=net, loss=torch.nn.CrossEntropyLoss(), input_shape=(1, 28, 28), nb_classes=10, clip_values=(0.0, 1.0))
    onehot = np.eye(10, dtype=np.float32)[labels.numpy()]
    theirs = FastGradientMethod(classifier, norm=np.inf, eps=0.1).generate(images.numpy(), y=onehot)
    ours = attack.fgsm(net, images, labels, 0.1).numpy()
    assert np.mean(np.isclose(ours, theirs, atol=1e-5)) > 0.999
    pgd = ProjectedGradientDescentPyTorch(classifier, norm=np.inf, eps=0.2, eps_step=0.05, max_iter=5, num_random_init=0, batch_size=40, verbose=False)
    theirs = pgd.generate(images.numpy(), y=onehot)
    ours = attack.pgd(net, images, labels, 0.2, steps=5, step_size=0.05, random_start=False).numpy()
    assert np.mean(np.isclose(ours, theirs, atol=1e-5)) > 0.99
