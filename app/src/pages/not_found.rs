//! Any address the router does not know.

use crate::components::status::EmptyState;
use crate::i18n::Msg;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <EmptyState title=Msg::PageNotFound hint=Msg::PageNotFoundHint/> }
}
