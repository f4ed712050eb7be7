use migrate_core::ModelEnum;

#[derive(ModelEnum)]
struct Mood {
    label: String,
}

fn main() {}
