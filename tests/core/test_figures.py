"""Saving figures (``core/figures.py``; needs matplotlib, the ``figures`` extra).

``save_figure`` writes every format matplotlib knows, raster files at :data:`DPI` (read back from
the PNG's ``pHYs`` chunk), atomically: a failure while drawing leaves neither a partial file nor a
temporary one, and an existing file untouched. Bad targets — a missing folder, an unknown or
missing suffix, a folder — are refused with one line naming the path, before anything is drawn.
``figure_svg`` returns the SVG document as text; ``pyplot`` never opens a window.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from neurogeom.core.errors import InvalidInputError
from neurogeom.core.figures import (
    DPI,
    check_figure_target,
    figure_svg,
    pyplot,
    save_figure,
)

MAGIC = {
    "png": b"\x89PNG\r\n\x1a\n",
    "pdf": b"%PDF",
    "svg": b"<?xml",
    "eps": b"%!PS",
    "jpg": b"\xff\xd8\xff",
}


@pytest.fixture
def figure():
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    ax.set_title("x")
    yield fig
    plt.close(fig)


def _png_dpi(data: bytes) -> float:
    """Dots per inch recorded in a PNG's pHYs chunk (pixels per metre, unit 1)."""
    pos = 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"pHYs":
            x, y, unit = struct.unpack(">IIB", data[pos + 8 : pos + 17])
            assert unit == 1 and x == y
            return x * 0.0254
        pos += 12 + length
    raise AssertionError("no pHYs chunk")


def test_pyplot_is_the_non_interactive_backend() -> None:
    import matplotlib

    plt = pyplot()
    assert matplotlib.get_backend().lower() == "agg"
    assert plt is pytest.importorskip("matplotlib.pyplot")


@pytest.mark.parametrize("suffix", sorted(MAGIC))
def test_each_format_is_written(tmp_path: Path, figure, suffix: str) -> None:
    target = tmp_path / f"fig.{suffix}"
    out = save_figure(figure, str(target))
    assert out == target and isinstance(out, Path)
    assert target.read_bytes().startswith(MAGIC[suffix])
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary left


def test_the_suffix_is_read_case_insensitively(tmp_path: Path, figure) -> None:
    target = save_figure(figure, tmp_path / "fig.PNG")
    assert target.read_bytes().startswith(MAGIC["png"])


def test_raster_figures_are_at_print_resolution(tmp_path: Path, figure) -> None:
    assert DPI >= 200
    data = save_figure(figure, tmp_path / "fig.png").read_bytes()
    assert _png_dpi(data) == pytest.approx(DPI, abs=0.5)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert width >= 2 * DPI * 0.8 and height >= DPI * 0.8


def test_a_failure_while_drawing_leaves_nothing_behind(tmp_path: Path, figure, monkeypatch) -> None:
    target = tmp_path / "fig.png"

    def broken(self, fname, **kwargs):
        Path(fname).write_bytes(b"half a picture")
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(type(figure), "savefig", broken)
    with pytest.raises(RuntimeError, match="disk is full"):
        save_figure(figure, target)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"the old picture")
    with pytest.raises(RuntimeError):
        save_figure(figure, target)
    assert target.read_bytes() == b"the old picture"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"]


def test_an_existing_file_is_replaced_whole(tmp_path: Path, figure) -> None:
    target = tmp_path / "fig.svg"
    target.write_text("x" * 10**6)
    save_figure(figure, target)
    text = target.read_text()
    assert text.startswith("<?xml") and "x" * 1000 not in text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing/fig.png", "the folder .*missing does not exist"),
        ("fig.xyz", "unknown image format 'xyz'"),
        ("fig", "unknown image format 'files without a suffix'"),
    ],
)
def test_bad_targets_are_refused_before_drawing(tmp_path: Path, figure, name, message) -> None:
    target = tmp_path / name
    for call in (lambda: check_figure_target(target), lambda: save_figure(figure, target)):
        with pytest.raises(InvalidInputError, match=message) as info:
            call()
        assert str(target) in str(info.value) and "\n" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_the_unknown_format_message_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"use one of .*png.*svg"):
        check_figure_target(tmp_path / "fig.bmpx")


def test_a_folder_is_not_a_figure_file(tmp_path: Path, figure) -> None:
    folder = tmp_path / "plots.png"
    folder.mkdir()
    with pytest.raises(InvalidInputError, match="it is a folder"):
        save_figure(figure, folder)
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_a_relative_target_in_the_current_folder(tmp_path: Path, figure, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert check_figure_target("fig.png") == Path("fig.png")
    save_figure(figure, "fig.pdf")
    assert (tmp_path / "fig.pdf").read_bytes().startswith(MAGIC["pdf"])


def test_figure_svg_is_an_svg_document(tmp_path: Path, figure, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = figure_svg(figure)
    assert isinstance(text, str)
    assert text.lstrip().startswith("<?xml") and "<svg" in text and text.rstrip().endswith("</svg>")
    assert list(tmp_path.iterdir()) == []  # nothing written
