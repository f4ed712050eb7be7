// Every mistake in one enum is reported in one compile, and the model that uses the enum
// shows no follow-on error.
use migrate_core::{Model, ModelEnum};

#[derive(ModelEnum)]
#[model(name = "Mood Type")]
enum Mood {
    Happy,
    #[model(rename = "happy")]
    Glad,
    Sad(String),
    #[model(renamed_from = "sad", colour = "blue")]
    Unhappy,
}

#[derive(Model)]
struct Person {
    id: i64,
    mood: Mood,
}

fn main() {}
