"""The one translation of Partner Center's errors: every error class the client can raise becomes
a service error of the tree whose message says what happened, what was left unchanged and what
to do next."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from o365portal.partner_center import errors as pc
from o365portal.services import errors
from o365portal.services.errors import (
    InvalidInput,
    PartnerCenterBusy,
    PartnerCenterFailed,
    PartnerCenterRefused,
    PartnerCenterSignInFailed,
    PartnerCenterUnavailable,
    ServiceError,
    translate,
)

SERVICES = Path(errors.__file__).parent
# What a person can do after each kind of failure, as the message says it.
NEXT_STEP = {
    PartnerCenterUnavailable: "try again in a moment",
    PartnerCenterBusy: "try again in a few minutes",
    PartnerCenterSignInFailed: "check the Partner Center connection settings",
}


def _all_subclasses(cls: type[pc.PartnerCenterError]) -> list[type[pc.PartnerCenterError]]:
    found = [cls]
    for sub in cls.__subclasses__():
        found += _all_subclasses(sub)
    return found


def _raised(cls: type[pc.PartnerCenterError], code: int | None = 999) -> pc.PartnerCenterError:
    if cls is pc.ThrottledError:
        return pc.ThrottledError("Too many requests.", retry_after=3.0, code=code)
    return cls("The quantity is above the offer's limit.", code=code, status_code=400)


@pytest.mark.parametrize("cls", _all_subclasses(pc.PartnerCenterError), ids=lambda c: c.__name__)
def test_every_partner_center_error_becomes_an_actionable_service_error(
    cls: type[pc.PartnerCenterError],
) -> None:
    failure = translate(_raised(cls), action="the order", unchanged="nothing was bought")

    assert isinstance(failure, PartnerCenterFailed)
    assert type(failure) is not PartnerCenterFailed  # a leaf named after what happened
    message = str(failure)
    assert message.startswith(("Microsoft Partner Center", "The portal could not sign in"))
    assert "nothing was bought" in message.lower()
    if isinstance(failure, PartnerCenterRefused):
        assert "refused the order" in message
        assert not failure.retryable
    else:
        assert NEXT_STEP[type(failure)] in message
        assert failure.retryable
    assert "request id" not in message  # no client internals


def test_a_refusal_passes_on_microsofts_reason_once() -> None:
    failure = translate(
        pc.PurchaseNotAllowed("The quantity is above the offer's limit.", code=800018),
        action="the order",
        unchanged="nothing was bought",
    )
    assert str(failure) == (
        "Microsoft Partner Center refused the order: The quantity is above the offer's limit. "
        "Nothing was bought."
    )


def test_the_kinds_follow_the_client_tree() -> None:
    def kind(error: pc.PartnerCenterError) -> type[ServiceError]:
        return type(translate(error))

    assert kind(pc.TransientError("timeout")) is PartnerCenterUnavailable
    assert kind(pc.ThrottledError("429", retry_after=1.0)) is PartnerCenterUnavailable
    assert kind(pc.OperationInProgress("renewal running")) is PartnerCenterBusy
    assert kind(pc.AppUserRequired("needs App+User")) is PartnerCenterSignInFailed
    assert kind(pc.McaRequired("accept the MCA")) is PartnerCenterRefused
    assert "Microsoft Customer Agreement" in str(translate(pc.McaRequired("13605")))


@pytest.mark.parametrize(
    ("code", "field"),
    [(600051, "phone"), (600049, "registration_number"), (600050, "registration_number")],
)
def test_a_refused_field_of_the_organization_record_is_a_field_message(
    code: int, field: str
) -> None:
    failure = translate(pc.InvalidRequest("bad", code=code))
    assert isinstance(failure, InvalidInput)
    assert list(failure.field_errors) == [field]
    assert failure.field_errors[field].endswith(".")


def test_no_service_raises_a_bare_service_error() -> None:
    bare = []
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and isinstance(node.exc.func, ast.Name | ast.Attribute)
                and (getattr(node.exc.func, "id", None) or getattr(node.exc.func, "attr", None))
                in {"ServiceError", "PartnerCenterFailed"}
            ):
                bare.append(f"{path.relative_to(SERVICES)}:{node.lineno}")
    assert bare == []


def test_the_drawn_tree_names_every_service_error() -> None:
    for feature in ("ordering", "pricing", "tenants"):  # their leaves exist once loaded
        importlib.import_module(f"o365portal.services.{feature}")

    def leaves(cls: type[ServiceError]) -> set[str]:
        return {cls.__name__}.union(*(leaves(sub) for sub in cls.__subclasses__()))

    drawn = set(re.findall(r"\b[A-Z][A-Za-z]+\b", errors.__doc__ or ""))
    assert leaves(ServiceError) - drawn == set()
