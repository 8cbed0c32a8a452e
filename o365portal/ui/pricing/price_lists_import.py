"""The import dialog of the price editor: sales prices (CSV) or Microsoft's price sheet (cost).

The file is pasted or uploaded; an uploaded file stays in a backend-only var (a price sheet can
be large and never needs to travel back to the browser). A refused file shows every problem
with its line and column, and nothing is stored.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import pricing
from o365portal.services.errors import NotAllowed, ServiceError
from o365portal.services.principal import Principal
from o365portal.ui import styles
from o365portal.ui.events import data_event
from o365portal.ui.pricing.price_lists_state import PriceListState

UPLOAD_ID = "price_csv_upload"
MAX_UPLOAD_MB = 50  # a market's whole price sheet is a fraction of this
SHOWN_PROBLEMS = 50
_TITLES = {"prices": "Import sales prices (CSV)", "sheet": "Import Microsoft price sheet (cost)"}


class PriceImportState(PriceListState):
    """Which import is open, the uploaded file, and the problems of the last attempt."""

    import_open: bool = False
    import_kind: str = "prices"
    uploaded_name: str = ""
    problems: list[str] = []
    refused_below_cost: bool = False
    _uploaded: str = ""

    @rx.var
    def import_title(self) -> str:
        """The dialog's title."""
        return _TITLES.get(self.import_kind, "")

    @rx.event
    def open_import(self, kind: str) -> None:
        """Open the dialog for sales prices ("prices") or the price sheet ("sheet")."""
        self.import_kind, self.import_open = kind, True
        self.problems, self.uploaded_name, self._uploaded = [], "", ""
        self.refused_below_cost = False

    @rx.event
    def set_import_open(self, value: bool) -> None:
        """Close (or open) the dialog."""
        self.import_open = value

    @data_event(show_in="problems")
    async def read_upload(self, principal: Principal, files: list[rx.UploadFile]) -> None:
        """Keep the chosen file's text on the server until the import runs (a broker's file,
        up to MAX_UPLOAD_MB)."""
        if not principal.is_broker:
            raise NotAllowed()
        for upload in files[:1]:
            limit = MAX_UPLOAD_MB * 1024 * 1024
            content = await upload.read(limit + 1)
            self._uploaded, self.uploaded_name = "", ""
            if len(content) > limit:
                self.problems = [f"The file is larger than {MAX_UPLOAD_MB} MB: nothing was read."]
                return
            self._uploaded = content.decode("utf-8-sig", errors="replace")
            self.uploaded_name, self.problems = upload.name or "file.csv", []

    def _run(self, principal: Principal, text: str, confirm_below_cost: bool) -> str:
        if self.import_kind == "sheet":
            sheet = pricing.import_price_sheet(actor=principal, text=text)
            return (
                f"Stored {sheet.stored} cost entries ({sheet.unchanged} already known, "
                f"{sheet.other_market} for other markets, "
                f"{sheet.not_in_catalog} not in the catalog)."
            )
        effective = self._effective()
        if self.effective_chosen and effective is None:
            raise ServiceError("Choose the day the prices start.")
        result = pricing.import_csv(
            actor=principal, list_id=self._list_id(), text=text,
            default_effective=effective if self.effective_chosen else None,
            confirm_below_cost=confirm_below_cost,
        )  # fmt: skip
        corrected = f", {result.corrected} of them corrections" if result.corrected else ""
        return (
            f"Imported {result.stored} prices{corrected} "
            f"({result.skipped} rows without a price skipped)."
        )

    @data_event(show_in="problems")
    def run_import(
        self, principal: Principal, form: dict[str, str]
    ) -> rx.event.EventSpec | list[rx.event.EventSpec]:
        """Import the pasted text (or else the uploaded file), all or nothing."""
        text = str(form.get("csv", "")).strip() or self._uploaded
        if not text:
            self.problems = ["Paste the CSV text or choose a file first."]
            return []
        try:
            message = self._run(principal, text, form.get("confirm_below_cost") == "on")
        except pricing.CsvRejected as rejected:  # every problem with its line, in the dialog
            self.refused_below_cost = rejected.below_cost
            shown = [str(problem) for problem in rejected.problems[:SHOWN_PROBLEMS]]
            more = len(rejected.problems) - len(shown)
            self.problems = [str(rejected), *shown] + ([f"… and {more} more."] if more else [])
            return []
        self.import_open, self.problems, self._uploaded = False, [], ""
        self.refused_below_cost = False
        return [PriceListState.reload, rx.toast.success(message)]


def _help() -> rx.Component:
    return rx.cond(
        PriceImportState.import_kind == "sheet",
        rx.text(
            "Microsoft's NCE license-based price sheet: ProductId, SkuId, TermDuration, "
            "BillingPlan, Market, Currency, UnitPrice, EffectiveStartDate.",
            size="2",
            color=styles.MUTED,
        ),
        rx.text(
            "Columns ProductId, SkuId, AvailabilityId, Term, BillingCycle, SalesPrice and "
            "optionally EffectiveFrom (YYYY-MM-DD; else the day chosen on the page). SalesPrice "
            "uses the number format chosen in Settings; quote a price with a comma. The export "
            "has this shape; rows with an empty SalesPrice are skipped.",
            size="2",
            color=styles.MUTED,
        ),
    )


def _upload() -> rx.Component:
    return rx.hstack(
        rx.upload.root(
            rx.button(rx.icon("upload", size=16), "Choose a file", type="button", variant="soft"),
            id=UPLOAD_ID,
            accept={"text/csv": [".csv"], "text/plain": [".txt"]},
            max_files=1,
            no_drag=True,
            on_drop=PriceImportState.read_upload(rx.upload_files(upload_id=UPLOAD_ID)),
        ),
        rx.text(PriceImportState.uploaded_name, size="2"),
        align="center",
    )


def _problems() -> rx.Component:
    return rx.cond(
        PriceImportState.problems.length() > 0,
        rx.callout.root(
            rx.vstack(
                rx.foreach(PriceImportState.problems, lambda line: rx.text(line, size="2")),
                spacing="1",
            ),
            color_scheme="red",
            role="alert",
            width="100%",
        ),
    )


def _confirm_below_cost() -> rx.Component:
    return rx.cond(
        PriceImportState.refused_below_cost,
        rx.el.label(
            rx.hstack(
                rx.el.input(
                    type="checkbox",
                    name="confirm_below_cost",
                    id="confirm_below_cost",
                    style={"width": "1.1rem", "height": "1.1rem"},
                ),
                rx.text("Sell the items priced below Microsoft's cost anyway", size="2"),
                align="center",
            ),
            html_for="confirm_below_cost",
        ),
    )


def import_dialog() -> rx.Component:
    """The import dialog (one for the page)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(PriceImportState.import_title),
            rx.form(
                rx.vstack(
                    _help(),
                    _upload(),
                    rx.text_area(
                        name="csv",
                        placeholder="…or paste the CSV here",
                        aria_label="CSV text",
                        rows="8",
                        width="100%",
                    ),
                    _problems(),
                    _confirm_below_cost(),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button("Import", type="submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=PriceImportState.run_import,
            ),
            max_width="min(44rem, 96vw)",
            max_height="90vh",
            overflow_y="auto",
        ),
        open=PriceImportState.import_open,
        on_open_change=PriceImportState.set_import_open,
    )
