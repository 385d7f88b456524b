//! Amounts of money in a language's words: `约1000万美元`, `about US$10 million`.

use crate::content::{Amount, Currency, Qualifier};

fn trim_number(x: f64) -> String {
    let s = format!("{:.2}", x);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An amount of money in a language's words: `约1000万美元`, `about US$10 million`.
pub fn money(a: &Amount, lang: &str) -> String {
    let v = a.amount;
    if lang.starts_with("zh") {
        let num = if a.qualifier == Some(Qualifier::Order)
            && v >= 1e8
            && (v / 1e8).fract() == 0.0
            && v / 1e8 < 10.0
        {
            "亿级".to_owned()
        } else if v >= 1e8 {
            format!("{}亿", trim_number(v / 1e8))
        } else if v >= 1e4 {
            format!("{}万", trim_number(v / 1e4))
        } else {
            trim_number(v)
        };
        let prefix = match a.qualifier {
            Some(Qualifier::About) => "约",
            Some(Qualifier::Over) => "超",
            Some(Qualifier::Nearly) => "近",
            Some(Qualifier::Order) | None => "",
        };
        let cur = match a.currency {
            Currency::CNY => "元人民币",
            Currency::USD => "美元",
        };
        format!("{prefix}{num}{cur}")
    } else {
        let num = if v >= 1e9 {
            format!("{} billion", trim_number(v / 1e9))
        } else if v >= 1e6 {
            format!("{} million", trim_number(v / 1e6))
        } else {
            trim_number(v)
        };
        let cur = match a.currency {
            Currency::CNY => "RMB ",
            Currency::USD => "US$",
        };
        let prefix = match a.qualifier {
            Some(Qualifier::About) => "about ",
            Some(Qualifier::Over) => "over ",
            Some(Qualifier::Nearly) => "nearly ",
            Some(Qualifier::Order) => "on the order of ",
            None => "",
        };
        format!("{prefix}{cur}{num}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_naturally_in_both_languages() {
        let a = Amount {
            amount: 1e7,
            currency: Currency::USD,
            qualifier: Some(Qualifier::About),
        };
        assert_eq!(money(&a, "zh"), "约1000万美元");
        assert_eq!(money(&a, "en"), "about US$10 million");
        let b = Amount {
            amount: 1e8,
            currency: Currency::CNY,
            qualifier: Some(Qualifier::Order),
        };
        assert_eq!(money(&b, "zh"), "亿级元人民币");
        assert_eq!(money(&b, "en"), "on the order of RMB 100 million");
        let c = Amount {
            amount: 2e8,
            currency: Currency::USD,
            qualifier: Some(Qualifier::Over),
        };
        assert_eq!(money(&c, "zh"), "超2亿美元");
    }
}
