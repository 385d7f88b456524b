//! Amounts of money in a language's words: `约1000万美元`, `about US$10 million`; the
//! source's own magnitudes for `order` and `several`: `亿元级人民币`, `数千万元人民币`.

use crate::content::{power_of_ten, Amount, Currency, Qualifier};

fn trim_number(x: f64) -> String {
    let s = format!("{:.2}", x);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An amount of money in a language's words: `约1000万美元`, `about US$10 million`;
/// `order` and `several` give the source's own magnitude: `亿元级人民币`, `数千万元人民币`,
/// `tens of millions of yuan`.
pub fn money(a: &Amount, lang: &str) -> String {
    let v = a.amount;
    let magnitude = match a.qualifier {
        Some(q @ (Qualifier::Order | Qualifier::Several)) => power_of_ten(v).map(|p| (q, p)),
        _ => None,
    };
    if lang.starts_with("zh") {
        const UNITS: [&str; 8] = ["万", "十万", "百万", "千万", "亿", "十亿", "百亿", "千亿"];
        if let Some((q, p)) = magnitude {
            let unit = UNITS[p as usize - 4];
            return match (q, a.currency) {
                (Qualifier::Several, Currency::CNY) => format!("数{unit}元人民币"),
                (Qualifier::Several, Currency::USD) => format!("数{unit}美元"),
                (_, Currency::CNY) => format!("{unit}元级人民币"),
                (_, Currency::USD) => format!("{unit}美元级"),
            };
        }
        let num = if v >= 1e8 {
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
            Some(Qualifier::Order | Qualifier::Several) | None => "",
        };
        let cur = match a.currency {
            Currency::CNY => "元人民币",
            Currency::USD => "美元",
        };
        format!("{prefix}{num}{cur}")
    } else {
        if let Some((Qualifier::Several, p)) = magnitude {
            const SEVERAL: [&str; 8] = [
                "tens of thousands of",
                "hundreds of thousands of",
                "several million",
                "tens of millions of",
                "hundreds of millions of",
                "several billion",
                "tens of billions of",
                "hundreds of billions of",
            ];
            let cur = match a.currency {
                Currency::CNY => "yuan",
                Currency::USD => "US dollars",
            };
            return format!("{} {cur}", SEVERAL[p as usize - 4]);
        }
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
            Some(Qualifier::Several) | None => "",
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
        assert_eq!(money(&b, "zh"), "亿元级人民币");
        assert_eq!(money(&b, "en"), "on the order of RMB 100 million");
        let usd_order = Amount {
            currency: Currency::USD,
            ..b.clone()
        };
        assert_eq!(money(&usd_order, "zh"), "亿美元级");
        assert_eq!(money(&usd_order, "en"), "on the order of US$100 million");
        let c = Amount {
            amount: 2e8,
            currency: Currency::USD,
            qualifier: Some(Qualifier::Over),
        };
        assert_eq!(money(&c, "zh"), "超2亿美元");
        assert_eq!(money(&c, "en"), "over US$200 million");
    }

    #[test]
    fn several_gives_the_sources_own_magnitude() {
        let several = |amount: f64, currency| Amount {
            amount,
            currency,
            qualifier: Some(Qualifier::Several),
        };
        for (amount, zh, en) in [
            (1e6, "数百万元人民币", "several million yuan"),
            (1e7, "数千万元人民币", "tens of millions of yuan"),
            (1e8, "数亿元人民币", "hundreds of millions of yuan"),
            (1e9, "数十亿元人民币", "several billion yuan"),
        ] {
            let a = several(amount, Currency::CNY);
            assert_eq!(
                (money(&a, "zh").as_str(), money(&a, "en").as_str()),
                (zh, en)
            );
        }
        let usd = several(1e7, Currency::USD);
        assert_eq!(money(&usd, "zh"), "数千万美元");
        assert_eq!(money(&usd, "en"), "tens of millions of US dollars");
        // An order of magnitude below 亿 keeps its own unit rather than a bare number.
        let order = Amount {
            qualifier: Some(Qualifier::Order),
            ..several(1e7, Currency::CNY)
        };
        assert_eq!(money(&order, "zh"), "千万元级人民币");
        assert_eq!(money(&order, "en"), "on the order of RMB 10 million");
    }
}
