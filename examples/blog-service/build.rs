//! Rebuilds the service when a revision folder is added or removed: `embed_migrations!`
//! tracks the files it includes, but only a build script can watch the directory itself.

fn main() {
    println!("cargo:rerun-if-changed=../blog/migrations");
}
