//! The KPI card grid of a campaign. Values and formats come from
//! `analytics::overview::kpi_cards`; this only lays them out.

use crate::app::use_lang;
use crate::i18n::{Msg, kpi_label, t};
use crate::lazy::{deferred_quiet, kpi_tools};
use analytics::overview::KpiCard;
use leptos::prelude::*;

#[component]
pub fn KpiCards(cards: Vec<KpiCard>, campaign: i64) -> impl IntoView {
    let lang = use_lang();
    let for_csv = cards.clone();
    view! {
        // The tools come with the panels drawn after the first chart.
        <div class="table-tools kpi-tools">{deferred_quiet(kpi_tools(campaign, for_csv))}</div>
        <section class="kpis" aria-label=move || t(lang.get(), Msg::KeyFigures)>
            {cards
                .into_iter()
                .map(|card| {
                    let key = card.key;
                    view! {
                        <div class="kpi" data-kpi=key.id() data-value=card.value.to_string()>
                            <div class="kpi-label">{move || kpi_label(lang.get(), key)}</div>
                            <div class="kpi-value">{card.display}</div>
                            {card.interval.map(|i| view! { <div class="kpi-interval">{i}</div> })}
                        </div>
                    }
                })
                .collect_view()}
        </section>
    }
}
