//! Command-line stand-ins for the library's value enums, so that the library needs no clap.

/// Declares a `clap::ValueEnum` that stands for a library enum variant for variant: its doc
/// comments are the `--help` text of the values. `From` goes both ways, so that a variant added
/// on either side fails to compile until the other has it too.
macro_rules! value_enum_for {
    (
        $(#[$meta:meta])*
        $name:ident => $lib:ident {
            $($(#[$variant_meta:meta])* $variant:ident,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl From<$name> for $lib {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => $lib::$variant,)+
                }
            }
        }

        impl From<$lib> for $name {
            fn from(value: $lib) -> Self {
                match value {
                    $($lib::$variant => $name::$variant,)+
                }
            }
        }
    };
}

pub(crate) use value_enum_for;
