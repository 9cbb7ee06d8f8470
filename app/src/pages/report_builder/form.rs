//! The builder's form: every field of a report definition, each edit
//! written straight into the draft (the preview redraws from it).

use crate::app::use_lang;
use crate::i18n::channel_name;
use analytics::Lang;
use analytics::report::{MAX_LOGO_BYTES, PageFormat, Panel, PanelKind, ReportDefinition};
use analytics::wire::Campaign;
use i18n::{BuilderMsg, builder_text, page_name, panel_name};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

type B = BuilderMsg;

/// The form for `draft`; `campaigns` are those it may be moved to (the
/// report's workspace's).
#[component]
pub fn ReportForm(draft: RwSignal<ReportDefinition>, campaigns: Vec<Campaign>) -> impl IntoView {
    let lang = use_lang();
    let w = move |m: BuilderMsg| builder_text(lang.get(), m);
    let chosen = {
        let campaigns = campaigns.clone();
        Memo::new(move |_| {
            let id = draft.read().campaign_id;
            campaigns.iter().find(|c| c.id == id).cloned()
        })
    };
    let campaign_options = campaigns
        .iter()
        .map(|c| {
            let id = c.id;
            view! {
                <option value=id.to_string() selected=move || draft.read().campaign_id == id>
                    {format!("{} · {}", c.name, c.brand.name)}
                </option>
            }
        })
        .collect_view();
    let text_field = move |label: BuilderMsg,
                           class: &'static str,
                           get: fn(&ReportDefinition) -> String,
                           set: fn(&mut ReportDefinition, String)| {
        view! {
            <label class=format!("field {class}")>
                <span>{move || w(label)}</span>
                <input type="text" prop:value=move || get(&draft.read())
                    on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
            </label>
        }
    };
    view! {
        <form class="report-form" on:submit=|ev| ev.prevent_default()>
            {text_field(B::Title, "title", |d| d.title.clone(), |d, v| d.title = v)}
            <label class="field campaign">
                <span>{move || w(B::Campaign)}</span>
                <select on:change=move |ev| {
                    if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                        draft.update(|d| {
                            d.campaign_id = id;
                            // Another campaign's posts and dates.
                            d.filter = Default::default();
                            for p in &mut d.panels {
                                p.cascade = None;
                            }
                        });
                    }
                }>{campaign_options}</select>
            </label>
            <div class="field-row">
                <label class="field lang">
                    <span>{move || w(B::Language)}</span>
                    <select on:change=move |ev| {
                        if let Some(l) = Lang::from_tag(&event_target_value(&ev)) {
                            draft.update(|d| d.lang = l);
                        }
                    }>
                        <option value="zh-CN" selected=move || draft.read().lang == Lang::Zh>"中文"</option>
                        <option value="en" selected=move || draft.read().lang == Lang::En>"English"</option>
                    </select>
                </label>
                <label class="field page-format">
                    <span>{move || w(B::Page)}</span>
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(p) = PageFormat::ALL.into_iter().find(|p| p.as_str() == v) {
                            draft.update(|d| d.page = p);
                        }
                    }>
                        {PageFormat::ALL.into_iter().map(|p| view! {
                            <option value=p.as_str() selected=move || draft.read().page == p>
                                {move || page_name(lang.get(), p)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <Dates draft chosen/>
            <fieldset class="channels">
                <legend>{move || w(B::Channels)}<small>{move || format!(" ({})", w(B::AllChannels))}</small></legend>
                {move || chosen.get().map(|c| c.channels).unwrap_or_default().into_iter().map(|ch| view! {
                    <label class="check">
                        <input type="checkbox"
                            prop:checked=move || draft.read().filter.channels.contains(&ch)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| {
                                    d.filter.channels.retain(|c| *c != ch);
                                    if on {
                                        d.filter.channels.push(ch);
                                        d.filter.channels.sort();
                                    }
                                });
                            }/>
                        {move || channel_name(lang.get(), ch)}
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="check">
                <input type="checkbox" prop:checked=move || draft.read().filter.exclude_suspect
                    on:change=move |ev| draft.update(|d| d.filter.exclude_suspect = event_target_checked(&ev))/>
                {move || w(B::ExcludeSuspect)}
            </label>
            {move || {
                let accounts = draft.read().filter.accounts.clone();
                (!accounts.is_empty()).then(|| view! {
                    <p class="followed">
                        {move || w(B::FollowedAccounts)} ": " {accounts.join(", ")} " "
                        <button type="button" on:click=move |_| draft.update(|d| d.filter.accounts.clear())>
                            {move || w(B::Remove)}
                        </button>
                    </p>
                })
            }}
            <Panels draft/>
            <Branding draft/>
        </form>
    }
}

/// The report's first and last day, within the campaign's.
#[component]
fn Dates(draft: RwSignal<ReportDefinition>, chosen: Memo<Option<Campaign>>) -> impl IntoView {
    let lang = use_lang();
    let day = move |label: BuilderMsg,
                    get: fn(&ReportDefinition) -> Option<String>,
                    set: fn(&mut ReportDefinition, Option<String>)| {
        view! {
            <label class="field day">
                <span>{move || builder_text(lang.get(), label)}</span>
                <input type="date"
                    min=move || chosen.get().map(|c| c.start_date)
                    max=move || chosen.get().map(|c| c.end_date)
                    prop:value=move || get(&draft.read()).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| set(d, (!v.is_empty()).then_some(v)));
                    }/>
            </label>
        }
    };
    view! {
        <div class="field-row">
            {day(B::From, |d| d.filter.from.clone(), |d, v| d.filter.from = v)}
            {day(B::To, |d| d.filter.to.clone(), |d, v| d.filter.to = v)}
        </div>
    }
}

/// The panels, in order: move, remove, add; a tree names its cascade.
#[component]
fn Panels(draft: RwSignal<ReportDefinition>) -> impl IntoView {
    let lang = use_lang();
    let w = move |m: BuilderMsg| builder_text(lang.get(), m);
    let swap = move |i: usize, j: usize| {
        draft.update(|d| {
            if i < d.panels.len() && j < d.panels.len() {
                d.panels.swap(i, j);
            }
        })
    };
    view! {
        <fieldset class="panels">
            <legend>{move || w(B::Panels)}</legend>
            <ol class="panel-list">
                {move || {
                    let panels = draft.read().panels.clone();
                    let last = panels.len().saturating_sub(1);
                    panels.into_iter().enumerate().map(|(i, p)| {
                        let kind = p.kind;
                        view! {
                            <li class="panel-item" data-kind=kind.as_str()>
                                <span class="panel-name">{move || panel_name(lang.get(), kind)}</span>
                                {(kind == PanelKind::Tree).then(|| view! {
                                    <input type="text" class="cascade-root"
                                        placeholder=move || w(B::CascadeRoot)
                                        aria-label=move || w(B::CascadeRoot)
                                        prop:value=p.cascade.clone().unwrap_or_default()
                                        on:change=move |ev| {
                                            let v = event_target_value(&ev).trim().to_string();
                                            draft.update(|d| if let Some(p) = d.panels.get_mut(i) {
                                                p.cascade = (!v.is_empty()).then_some(v);
                                            });
                                        }/>
                                })}
                                <span class="panel-actions">
                                    <button type="button" title=move || w(B::MoveUp) aria-label=move || w(B::MoveUp)
                                        disabled=i == 0 on:click=move |_| swap(i, i.wrapping_sub(1))>"↑"</button>
                                    <button type="button" title=move || w(B::MoveDown) aria-label=move || w(B::MoveDown)
                                        disabled=i == last on:click=move |_| swap(i, i + 1)>"↓"</button>
                                    <button type="button" class="remove" title=move || w(B::Remove) aria-label=move || w(B::Remove)
                                        on:click=move |_| draft.update(|d| { if i < d.panels.len() { d.panels.remove(i); } })>"×"</button>
                                </span>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <label class="field add-panel">
                <span>{move || w(B::AddPanel)}</span>
                <select prop:value="" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(k) = PanelKind::ALL.into_iter().find(|k| k.as_str() == v) {
                        draft.update(|d| d.panels.push(Panel::of(k)));
                    }
                    if let Some(s) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                        s.set_value("");
                    }
                }>
                    <option value="" selected>"…"</option>
                    {PanelKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str()>{move || panel_name(lang.get(), k)}</option>
                    }).collect_view()}
                </select>
            </label>
        </fieldset>
    }
}

/// The agency's name, colours and logo, and whether the product is named.
#[component]
fn Branding(draft: RwSignal<ReportDefinition>) -> impl IntoView {
    let lang = use_lang();
    let w = move |m: BuilderMsg| builder_text(lang.get(), m);
    let logo_problem = RwSignal::new(None::<BuilderMsg>);
    let colour = move |label: BuilderMsg,
                       get: fn(&ReportDefinition) -> String,
                       set: fn(&mut ReportDefinition, String)| {
        view! {
            <label class="field colour">
                <span>{move || w(label)}</span>
                <input type="color" prop:value=move || get(&draft.read())
                    on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
            </label>
        }
    };
    let pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        if !matches!(file.type_().as_str(), "image/png" | "image/svg+xml") {
            logo_problem.set(Some(B::LogoNotImage));
            return;
        }
        if file.size() > MAX_LOGO_BYTES as f64 {
            logo_problem.set(Some(B::LogoTooLarge));
            return;
        }
        leptos::task::spawn_local(async move {
            match data_uri(file).await {
                Ok(uri) => {
                    logo_problem.set(None);
                    draft.update(|d| d.branding.logo = Some(uri));
                }
                Err(e) => {
                    leptos::logging::warn!("reading the logo: {e:?}");
                    logo_problem.set(Some(B::LogoNotImage));
                }
            }
        });
    };
    view! {
        <fieldset class="branding">
            <legend>{move || w(B::Branding)}</legend>
            <label class="field agency">
                <span>{move || w(B::AgencyName)}</span>
                <input type="text" prop:value=move || draft.read().branding.name.clone()
                    on:input=move |ev| draft.update(|d| d.branding.name = event_target_value(&ev))/>
            </label>
            <div class="field-row">
                {colour(B::Primary, |d| d.branding.primary.clone(), |d, v| d.branding.primary = v)}
                {colour(B::Accent, |d| d.branding.accent.clone(), |d, v| d.branding.accent = v)}
            </div>
            <label class="field logo">
                <span>{move || w(B::Logo)}</span>
                <input type="file" accept="image/png,image/svg+xml" on:change=pick/>
            </label>
            {move || logo_problem.get().map(|m| view! { <p class="field-error" role="alert">{move || w(m)}</p> })}
            {move || draft.read().branding.logo.is_some().then(|| view! {
                <button type="button" class="remove-logo" on:click=move |_| draft.update(|d| d.branding.logo = None)>
                    {move || w(B::RemoveLogo)}
                </button>
            })}
            <label class="check">
                <input type="checkbox" prop:checked=move || draft.read().branding.show_product
                    on:change=move |ev| draft.update(|d| d.branding.show_product = event_target_checked(&ev))/>
                {move || w(B::ShowProduct)}
            </label>
        </fieldset>
    }
}

/// A picked file as a `data:` URI.
async fn data_uri(file: web_sys::File) -> Result<String, JsValue> {
    let reader = web_sys::FileReader::new()?;
    let read = js_sys::Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(&resolve));
        reader.set_onerror(Some(&reject));
    });
    reader.read_as_data_url(&file)?;
    JsFuture::from(read).await?;
    reader
        .result()?
        .as_string()
        .ok_or_else(|| JsValue::from_str("the file did not read as text"))
}
