"""How a top-up is paid: the payment-provider interface, and the "manual" provider we ship.

A provider says how a request begins (what the payer is told, or where they are sent) and checks the
confirmation that it was paid. The manual provider is a person: the requester pays their reseller
or the platform offline (bank transfer, cash), and whoever decides the request confirms it with the
payment's reference. A card processor plugs in here later: `begin` would open a checkout session
and return its URL, and `confirm` would be called from the processor's signed webhook with the
processor's payment id (`needs_person` False), then approval runs exactly as for a manual payment.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from mediashare.errors import ValidationFailed
from mediashare.models import TopUpRequest

MAX_REFERENCE = 128


@dataclass(frozen=True)
class PaymentStart:
    """What the payer sees after asking: instructions, and a page to go to (None: stay here)."""

    instructions: str
    redirect_url: str | None = None


class PaymentProvider(ABC):
    """One way of paying for a top-up request."""

    name: str  # stored on the request; never changes once requests use it
    label: str  # what people are shown
    needs_person: bool  # True: a reseller or admin confirms the payment by hand

    @abstractmethod
    def begin(self, request: TopUpRequest, *, payee: str, price: str) -> PaymentStart:
        """The request was just saved (pending): how the payer pays `price` to `payee`."""

    @abstractmethod
    def confirm(self, request: TopUpRequest, *, reference: str) -> str:
        """Check that `request` was paid; the payment reference to keep. Raises ValidationFailed."""


class ManualProvider(PaymentProvider):
    """Paid offline; the reseller or an admin approves with the payment's reference."""

    name = "manual"
    label = "Pay your reseller or the platform directly"
    needs_person = True

    def begin(self, request: TopUpRequest, *, payee: str, price: str) -> PaymentStart:
        return PaymentStart(
            instructions=f"Pay {price} to {payee} and quote request #{request.id}. "
                         "Your credits arrive as soon as they confirm the payment."
        )

    def confirm(self, request: TopUpRequest, *, reference: str) -> str:
        reference = reference.strip() if isinstance(reference, str) else ""
        if not 1 <= len(reference) <= MAX_REFERENCE:
            raise ValidationFailed(
                f"Enter the payment's reference (e.g. the bank transfer's), 1 to {MAX_REFERENCE} characters.",
                field="reference",
            )
        return reference


PROVIDERS: dict[str, PaymentProvider] = {provider.name: provider for provider in (ManualProvider(),)}
DEFAULT_PROVIDER = ManualProvider.name


def provider(name: str) -> PaymentProvider:
    """The provider called `name`; ValidationFailed for one we do not have."""
    found = PROVIDERS.get(name) if isinstance(name, str) else None
    if found is None:
        raise ValidationFailed("That way of paying is not available.", field="provider")
    return found
