//! The human messages' templates of every locale as JSON
//! (`onelastai_models::messages::locales_json`), for `tools/build-pkg.sh` to
//! write `pkg/messages.js`: the package formats from the same data as the
//! server. Built natively at package build time: the `.wasm` does not carry it.

fn main() {
    println!("{}", onelastai_models::messages::locales_json());
}
