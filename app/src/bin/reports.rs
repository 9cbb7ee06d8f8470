//! The reports' entry point (`/reports`, `/reports/{id}`): the saved reports
//! and a report's builder, as a module of their own (`app::app::ReportsApp`).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::app::ReportsApp);
}
