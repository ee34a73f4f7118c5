//! Survey settings of `slaudit.toml` beyond the intake server: the presets and scales of
//! survey exports.

use serde::{Deserialize, Serialize};

use super::Config;

/// The fields of a survey answer, as `columns` of an import names them.
pub const SURVEY_FIELDS: [&str; 4] = ["ticket_id", "submitted_at", "rating", "comment"];

/// The system a survey export comes from, which decides its column names and default scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SurveyPreset {
    /// Columns `ticket_id`, `submitted_at`, `rating`, `comment`; scale 1–5.
    #[default]
    Generic,
    /// Zendesk satisfaction ratings: `ticket_id`, `score`, `comment`, `updated_at`; Good/Bad.
    Zendesk,
}

impl SurveyPreset {
    pub fn name(self) -> &'static str {
        match self {
            SurveyPreset::Generic => "generic",
            SurveyPreset::Zendesk => "zendesk",
        }
    }

    /// Returns the scale of an export whose import sets none.
    pub fn default_scale(self) -> SurveyScale {
        match self {
            SurveyPreset::Generic => SurveyScale::FivePoint,
            SurveyPreset::Zendesk => SurveyScale::GoodBad,
        }
    }
}

/// The scale survey answers are given on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum SurveyScale {
    /// 1 (very dissatisfied) to 5 (very satisfied); the intake server's scale.
    #[serde(rename = "1-5")]
    FivePoint,
    /// Good or Bad, kept as a 2-point scale: 1 is bad, 2 is good.
    #[serde(rename = "good-bad")]
    GoodBad,
    /// 0 to 10, the Net Promoter question.
    #[serde(rename = "0-10")]
    ZeroToTen,
}

impl SurveyScale {
    /// Returns the scale as written in the config.
    pub fn name(self) -> &'static str {
        match self {
            SurveyScale::FivePoint => "1-5",
            SurveyScale::GoodBad => "good-bad",
            SurveyScale::ZeroToTen => "0-10",
        }
    }
}

/// Checks the survey settings that serde cannot. Returns the text to point at in the file
/// and the message.
pub(super) fn check(config: &Config) -> Result<(), (String, String)> {
    let Some(surveys) = &config.surveys else {
        return Ok(());
    };
    for import in &surveys.imports {
        for field in import.columns.keys() {
            if !SURVEY_FIELDS.contains(&field.as_str()) {
                return Err((
                    field.clone(),
                    format!(
                        "unknown survey field `{field}` in the columns of an import{}",
                        super::suggestion_or_list(field, &SURVEY_FIELDS)
                    ),
                ));
            }
        }
        if let Some(pattern) = &import.date_format {
            if let Err(message) = crate::normalize::dates::DateFormat::compile(pattern) {
                return Err((
                    pattern.clone(),
                    format!("invalid date_format of survey import: {message}"),
                ));
            }
        }
    }
    Ok(())
}
