//! Entry point of the word-of-mouth bundle (`word.html`): the cascade
//! table, the explorer and listening.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::WordApp);
}
