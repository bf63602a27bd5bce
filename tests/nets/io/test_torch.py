"""PyTorch conversion: live modules, state_dict files, and refusals that name the layer."""

from __future__ import annotations

import itertools
import os
import pickle
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from neurogeom.core.errors import (
    InvalidInputError,
    InvalidNetworkError,
    UnsupportedLayerError,
)
from neurogeom.nets import RationalNet, ReLUNet
from neurogeom.nets.io import NetworkReadWarning
from neurogeom.nets.io.torch import (
    from_state_dict,
    from_torch,
    read_torch,
    to_torch,
    write_torch,
)


def _assert_bitwise(a: ReLUNet, b: ReLUNet) -> None:
    assert type(a) is type(b) and a.activation == b.activation
    assert a.architecture == b.architecture
    for (wa, ba), (wb, bb) in zip(a.layers, b.layers, strict=True):
        assert wa.dtype == wb.dtype == np.float64
        assert wa.tobytes() == wb.tobytes() and ba.tobytes() == bb.tobytes()


def _random_net(seed: int = 0, slope: float = 0.0) -> ReLUNet:
    rng = np.random.default_rng(seed)
    arch = (3, 6, 4, 2)
    weights = [rng.normal(size=(o, i)) for i, o in itertools.pairwise(arch)]
    biases = [rng.normal(size=o) for o in arch[1:]]
    return ReLUNet(weights, biases, negative_slope=slope)


def _points(n_inputs: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(200, n_inputs)) * 3


def _model(*layers: nn.Module) -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(*layers).double()


# -- live modules --------------------------------------------------------------------------------
@pytest.mark.parametrize("act", [nn.ReLU, lambda: nn.LeakyReLU(0.1)])
def test_sequential_evaluates_like_its_net(act) -> None:
    model = _model(nn.Linear(3, 7), act(), nn.Linear(7, 5), act(), nn.Linear(5, 2))
    net = from_torch(model)
    assert net.architecture == (3, 7, 5, 2)
    x = _points(3)
    with torch.no_grad():
        want = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(net(x), want, rtol=0, atol=1e-12)
    assert model[0].weight.detach().numpy().tobytes() == net.weights[0].tobytes()


def test_leaky_slope_is_read() -> None:
    net = from_torch(_model(nn.Linear(2, 2), nn.LeakyReLU(0.25), nn.Linear(2, 1)))
    assert net.negative_slope == 0.25 and net.activation == "leaky_relu:0.25"


def test_float32_model_converts_exactly() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 1))
    net = from_torch(model)
    assert np.array_equal(net.weights[0], model[0].weight.detach().numpy().astype(np.float64))
    x = _points(4).astype(np.float32)
    with torch.no_grad():
        want = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(net(x.astype(np.float64)), want, rtol=1e-5, atol=1e-5)


def test_exact_conversion() -> None:
    model = _model(nn.Linear(2, 2), nn.LeakyReLU(0.5), nn.Linear(2, 1))
    net = from_torch(model, exact=True)
    assert net.exact and net.negative_slope == Fraction(1, 2)
    w = model[0].weight.detach().numpy()
    assert net.weights[0][1, 0] == Fraction(float(w[1, 0]))


def test_skipped_layers_nesting_and_merging() -> None:
    model = _model(
        nn.Flatten(),
        nn.Sequential(nn.Linear(3, 4), nn.Identity(), nn.Linear(4, 4)),  # merged
        nn.Dropout(0.5),
        nn.ReLU(),
        nn.Linear(4, 2),
    )
    model.eval()
    net = from_torch(model)
    assert net.architecture == (3, 4, 2)
    x = _points(3)
    with torch.no_grad():
        want = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(net(x), want, rtol=0, atol=1e-12)


def test_merging_is_exact_in_exact_mode() -> None:
    model = _model(nn.Linear(2, 3), nn.Linear(3, 1))
    net = from_torch(model, exact=True)
    w0, w1 = (m.weight.detach().numpy() for m in (model[0], model[1]))
    want = sum(Fraction(float(w1[0, k])) * Fraction(float(w0[k, 0])) for k in range(3))
    assert net.architecture == (2, 1) and net.weights[0][0, 0] == want


def test_single_linear_and_no_bias() -> None:
    layer = nn.Linear(3, 2, bias=False).double()
    net = from_torch(layer)
    assert net.n_layers == 1 and net.biases[0].tolist() == [0.0, 0.0]


class _Chain(nn.Module):
    """A custom module whose forward is a plain chain: accepted after checking."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(3, 5)
        self.act = nn.LeakyReLU(0.2)
        self.fc2 = nn.Linear(5, 2)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class _Residual(_Chain):
    """Same layers, but with a skip connection: must be refused."""

    def __init__(self) -> None:
        super().__init__()
        self.fc2 = nn.Linear(5, 3)

    def forward(self, x):
        return x + self.fc2(self.act(self.fc1(x)))


def test_custom_chain_module_is_accepted() -> None:
    torch.manual_seed(0)
    model = _Chain()
    net = from_torch(model)
    x = _points(3)
    with torch.no_grad():
        want = model.double()(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(net(x), want, rtol=0, atol=1e-12)


def test_residual_module_is_refused() -> None:
    torch.manual_seed(0)
    with pytest.raises(
        UnsupportedLayerError, match=r"_Residual does not compute the chain .*residual connections"
    ):
        from_torch(_Residual())


def test_conv2d_is_refused() -> None:
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 1))
    with pytest.raises(
        UnsupportedLayerError,
        match=r"layer '0' \(Conv2d\) is not supported; supported: Linear, ReLU",
    ):
        from_torch(model)


def test_sigmoid_inside_the_model_is_refused() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1))
    with pytest.raises(
        UnsupportedLayerError, match=r"layer '2' \(Linear\) comes after the final layer '1' \("
    ):
        from_torch(model)


def test_nested_unsupported_layer_is_named_by_its_path() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.BatchNorm1d(2)))
    with pytest.raises(UnsupportedLayerError, match=r"layer '1.1' \(BatchNorm1d\)"):
        from_torch(model)


def test_mixed_activations_are_refused() -> None:
    model = _model(nn.Linear(3, 7), nn.ReLU(), nn.Linear(7, 5), nn.LeakyReLU(0.1), nn.Linear(5, 2))
    with pytest.raises(UnsupportedLayerError, match=r"layer '3' \(LeakyReLU\).*differs from"):
        from_torch(model)


def test_activation_placement_is_checked() -> None:
    with pytest.raises(UnsupportedLayerError, match=r"ends with the activation layer '1'"):
        from_torch(_model(nn.Linear(2, 2), nn.ReLU()))
    with pytest.raises(UnsupportedLayerError, match="before any affine layer"):
        from_torch(_model(nn.ReLU(), nn.Linear(2, 1)))
    with pytest.raises(UnsupportedLayerError, match="right after the activation"):
        from_torch(_model(nn.Linear(2, 2), nn.ReLU(), nn.ReLU(), nn.Linear(2, 1)))


def test_shape_mismatch_and_empty_model() -> None:
    with pytest.raises(InvalidNetworkError, match=r"takes 3 inputs but layer '0'.* has 2 outputs"):
        from_torch(_model(nn.Linear(2, 2), nn.Linear(3, 1)))
    with pytest.raises(InvalidNetworkError, match="no affine layer"):
        from_torch(nn.Sequential())
    with pytest.raises(InvalidInputError, match=r"needs a torch.nn.Module"):
        from_torch([nn.Linear(2, 2)])


def test_to_torch_is_float64_and_bitwise() -> None:
    net = _random_net(slope=0.1)
    model = to_torch(net)
    assert isinstance(model[1], nn.LeakyReLU) and model[1].negative_slope == 0.1
    assert model[0].weight.dtype == torch.float64
    _assert_bitwise(from_torch(model), net)
    x = _points(3)
    with torch.no_grad():
        got = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, net(x), rtol=0, atol=1e-12)


def test_to_torch_refuses_rational_nets() -> None:
    net = RationalNet([[[1.0]], [[1.0]]])
    with pytest.raises(UnsupportedLayerError, match=r"RationalNet .* cannot be written"):
        to_torch(net)


# -- files ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("slope", [0.0, 0.1, 1 / 3])
def test_file_round_trip_is_bitwise(tmp_path: Path, slope: float) -> None:
    net = _random_net(slope=slope)
    path = tmp_path / "net.pt"
    write_torch(net, path)
    _assert_bitwise(read_torch(path), net)
    model = to_torch(net)
    model.load_state_dict(torch.load(path, weights_only=True))  # an ordinary state_dict


def test_exact_net_keeps_its_exact_slope(tmp_path: Path) -> None:
    net = ReLUNet([[["1/3"]], [[2]]], negative_slope="1/3", exact=True)
    path = tmp_path / "net.pth"
    write_torch(net, path)
    back = read_torch(path, exact=True)
    assert back.negative_slope == Fraction(1, 3)
    assert back.weights[0][0, 0] == Fraction(1 / 3)  # weights went through float64


def test_named_state_dict_with_missing_bias(tmp_path: Path) -> None:
    state = {
        "fc1.weight": torch.tensor([[1.0], [-1.0]]),
        "fc1.bias": torch.zeros(2),
        "fc2.weight": torch.tensor([[1.0, 1.0]]),
    }
    path = tmp_path / "sd.pt"
    torch.save(state, path)
    with pytest.warns(NetworkReadWarning, match="assumed ReLU"):
        net = read_torch(path)
    assert net.biases[1].tolist() == [0.0] and net.has_bias == (True, False)
    assert net([-4.0]).tolist() == [4.0]  # ReLU is assumed between layers
    leaky = read_torch(path, activation="leaky_relu:1/2", exact=True)
    assert leaky.negative_slope == Fraction(1, 2)


def test_checkpoint_dictionary(tmp_path: Path) -> None:
    model = _model(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    path = tmp_path / "ckpt.pt"
    torch.save({"epoch": 3, "model_state_dict": model.state_dict()}, path)
    _assert_bitwise(read_torch(path), from_torch(model))


def test_pickled_module_file_gives_advice(tmp_path: Path) -> None:
    path = tmp_path / "model.pt"
    torch.save(nn.Sequential(nn.Linear(2, 1)), path)
    with pytest.raises(InvalidNetworkError, match=r"model\.state_dict\(\).*from_torch") as err:
        read_torch(path)
    assert "torch.nn.modules.container.Sequential" in str(err.value)


def test_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "net.pt"
    write_torch(_random_net(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidNetworkError, match="not a readable PyTorch file") as err:
        read_torch(path)
    assert str(path) in str(err.value)


def test_state_dict_of_unsupported_layers(tmp_path: Path) -> None:
    bn = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2), nn.Linear(2, 1))
    with pytest.raises(UnsupportedLayerError, match=r"entry '1.weight' has shape \(2,\)"):
        from_state_dict(bn.state_dict())
    stats = {"0.weight": torch.ones(2, 2), "1.running_mean": torch.zeros(2)}
    with pytest.raises(UnsupportedLayerError, match=r"entry '1.running_mean' is not the weight"):
        from_state_dict(stats)
    conv = nn.Sequential(nn.Conv2d(1, 1, 3))
    with pytest.raises(UnsupportedLayerError, match=r"'0.weight' has shape \(1, 1, 3, 3\)"):
        from_state_dict(conv.state_dict())


def test_state_dict_shape_chain_names_layers() -> None:
    state = {"a.weight": torch.ones(2, 2), "b.weight": torch.ones(1, 3)}
    with pytest.raises(
        InvalidNetworkError,
        match=r"layer 1: weight has 3 columns but layer 0 has 2 outputs "
        r"\(layers in key order: 'a', 'b'\)",
    ):
        from_state_dict(state)


def test_state_dict_nan_and_bad_values(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkError, match=r"weight\[0, 1\] must be finite"):
        from_state_dict({"0.weight": torch.tensor([[1.0, float("nan")]])})
    with pytest.raises(InvalidNetworkError, match=r"'0.bias' has no matching '0.weight'"):
        from_state_dict({"0.bias": torch.zeros(2)})
    with pytest.raises(InvalidNetworkError, match="state_dict is empty"):
        from_state_dict({})
    path = tmp_path / "list.pt"
    torch.save([torch.ones(1, 1)], path)
    with pytest.raises(InvalidNetworkError, match="expected a state_dict"):
        read_torch(path)
    path = tmp_path / "mixed.pt"
    torch.save({"0.weight": torch.ones(1, 1), "lr": 0.1}, path)
    with pytest.raises(InvalidNetworkError, match="entry 'lr' is a float"):
        read_torch(path)


def test_write_refuses_rational_net(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedLayerError, match="RationalNet"):
        write_torch(RationalNet([[[1.0]], [[1.0]]]), tmp_path / "r.pt")
    assert not list(tmp_path.iterdir())  # nothing half-written


# -- layers without bias -------------------------------------------------------------------------
def test_linear_layers_without_bias_count_no_bias(tmp_path: Path) -> None:
    model = _model(
        nn.Linear(2, 4, bias=False),
        nn.ReLU(),
        nn.Linear(4, 4, bias=False),
        nn.ReLU(),
        nn.Linear(4, 1, bias=False),
    )
    real = sum(p.numel() for p in model.parameters())
    assert real == 8 + 16 + 4
    net = from_torch(model)
    assert net.n_parameters == real and net.has_bias == (False, False, False)
    path = tmp_path / "nobias.pt"
    torch.save(model.state_dict(), path)
    back = read_torch(path, activation="relu")
    assert back.n_parameters == real and back == net
    assert sum(p.numel() for p in to_torch(net).parameters()) == real


def test_merged_linears_have_a_bias_if_either_had_one() -> None:
    model = _model(nn.Linear(2, 3, bias=False), nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    assert from_torch(model).has_bias == (True, True)
    model = _model(
        nn.Linear(2, 3, bias=False), nn.Linear(3, 2, bias=False), nn.ReLU(), nn.Linear(2, 1)
    )
    assert from_torch(model).has_bias == (False, True)


# -- the activation of a state_dict ----------------------------------------------------------------
def test_a_state_dict_without_activation_warns_that_relu_is_assumed(tmp_path: Path) -> None:
    model = _model(nn.Linear(2, 3), nn.LeakyReLU(0.2), nn.Linear(3, 1))
    path = tmp_path / "leaky.pt"
    torch.save(model.state_dict(), path)
    with pytest.warns(NetworkReadWarning, match=r"leaky\.pt: a state_dict does not record its "):
        assumed = read_torch(path)
    assert assumed.activation == "relu"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net = read_torch(path, activation="leaky_relu:0.2")
    x = _points(2)
    with torch.no_grad():
        want = model.double()(torch.from_numpy(x)).numpy()
    assert np.allclose(net(x), want, rtol=1e-12, atol=1e-12)
    assert not np.allclose(assumed(x), want)


def test_a_recorded_activation_needs_no_argument_and_must_agree(tmp_path: Path) -> None:
    path = tmp_path / "written.pt"
    write_torch(_random_net(slope=0.25), path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_torch(path).negative_slope == 0.25
    with pytest.raises(InvalidInputError, match="the file says the activation is 'leaky_relu"):
        read_torch(path, activation="relu")


# -- classifier endings ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ending", "kind"),
    [(nn.Sigmoid(), "sigmoid"), (nn.Softmax(dim=1), "softmax"), (nn.Softmax(dim=-1), "softmax")],
)
def test_a_final_sigmoid_or_softmax_is_kept_as_the_output_transform(
    tmp_path: Path, ending: nn.Module, kind: str
) -> None:
    model = _model(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2), ending)
    with pytest.warns(NetworkReadWarning, match=rf"output_transform='{kind}'.*changes no region"):
        net = from_torch(model)
    assert net.output_transform == kind
    plain = from_torch(_model(*list(model)[:3]))
    assert [w.tolist() for w in net.weights] == [w.tolist() for w in plain.weights]
    assert net != plain  # a different model
    path = tmp_path / "classifier.pt"
    write_torch(net, path)
    back = read_torch(path)
    assert back == net
    assert isinstance(list(to_torch(net))[-1], type(ending))


def test_a_custom_module_ending_in_sigmoid_is_checked_with_the_sigmoid() -> None:
    class Classifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc1, self.act, self.fc2 = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
            self.out = nn.Sigmoid()

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.out(self.fc2(self.act(self.fc1(x))))

    with pytest.warns(NetworkReadWarning):
        assert from_torch(Classifier()).output_transform == "sigmoid"


def test_a_softmax_over_the_batch_is_refused() -> None:
    model = _model(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2), nn.Softmax(dim=0))
    with pytest.raises(UnsupportedLayerError, match=r"layer '3' \(Softmax\) normalises over dim"):
        from_torch(model)


# -- checkpoint dictionaries -----------------------------------------------------------------------
def test_a_checkpoint_with_one_state_dict_is_unwrapped(tmp_path: Path) -> None:
    model = _model(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    path = tmp_path / "ckpt.pt"
    torch.save({"model": model.state_dict(), "epoch": 3, "lr": 0.1}, path)
    _assert_bitwise(read_torch(path, activation="relu"), from_torch(model))


def test_a_checkpoint_with_two_state_dicts_is_refused_naming_them(tmp_path: Path) -> None:
    model = _model(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    path = tmp_path / "ema.pt"
    torch.save({"model": model.state_dict(), "ema": model.state_dict(), "epoch": 3}, path)
    with pytest.raises(InvalidNetworkError, match=r"2 state_dicts \('model', 'ema'\)"):
        read_torch(path)


def test_a_dictionary_without_state_dict_is_refused_naming_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "opt.pt"
    torch.save({"epoch": 3, "optimizer": {"lr": 0.1}}, path)
    with pytest.raises(InvalidNetworkError, match=r"keys: 'epoch', 'optimizer'"):
        read_torch(path)


# -- files that are not state_dicts ----------------------------------------------------------------
class _Payload:
    """Unpickling this would call ``os.getcwd`` (harmless, but code all the same)."""

    def __reduce__(self) -> tuple:
        return (os.getcwd, ())


@pytest.mark.parametrize("protocol", [2, 4])
def test_a_malicious_raw_pickle_is_refused_plainly_and_quietly(
    tmp_path: Path, protocol: int
) -> None:
    path = tmp_path / "evil.pth"
    path.write_bytes(pickle.dumps({"0.weight": _Payload()}, protocol=protocol))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(InvalidNetworkError) as err:
            read_torch(path)
    assert caught == []  # torch's UserWarning about pickle protocols stays inside
    msg = str(err.value)
    assert "not a plain state_dict of tensors" in msg and "will not unpickle" in msg
    assert "posix.getcwd" in msg or "os.getcwd" in msg or "nt.getcwd" in msg
    assert "corrupt" not in msg and "weights_only" not in msg


def test_an_empty_file_is_named_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.pt"
    path.write_bytes(b"")
    with pytest.raises(InvalidNetworkError, match=r"empty\.pt: the file is empty \(0 bytes\)"):
        read_torch(path)


def test_a_truncated_raw_pickle_is_called_truncated(tmp_path: Path) -> None:
    path = tmp_path / "cut.pth"
    path.write_bytes(pickle.dumps({"a": [1, 2, 3]}, protocol=2)[:9])
    with pytest.raises(InvalidNetworkError, match=r"truncated"):
        read_torch(path)


def test_a_plain_pickle_not_written_by_torch(tmp_path: Path) -> None:
    path = tmp_path / "plain.pth"
    path.write_bytes(pickle.dumps({"0.weight": [[1.0]]}, protocol=2))
    with pytest.raises(InvalidNetworkError, match=r"a Python pickle that torch.save did not write"):
        read_torch(path)
