//! The one colour-to-tensor fill every model's input goes through: a BGR 8-bit image into an RGB
//! NHWC tensor, each channel value mapped by the model's own scaling.
use crate::error::{Error, Result};
use ndarray::Array4;
use opencv::core::{Mat, Vec3b};
use opencv::prelude::*;

/// Copies the square BGR image `bgr` into `input` ([1, S, S, 3], RGB), each 0–255 value through
/// `map` (MoveNet takes the values as they are, as int32; BlazePose scales them to floats).
pub fn fill_rgb<T>(bgr: &Mat, input: &mut Array4<T>, map: impl Fn(u8) -> T) -> Result<()> {
    let side = input.shape()[1];
    let data = bgr.data_typed::<Vec3b>().map_err(Error::opencv)?;
    if data.len() != side * side {
        return Err(Error::OpenCv("model input image has the wrong size".into()));
    }
    let out = input
        .as_slice_mut()
        .ok_or_else(|| Error::Runtime("input tensor not contiguous".into()))?;
    for (dst, px) in out.chunks_exact_mut(3).zip(data) {
        dst[0] = map(px[2]);
        dst[1] = map(px[1]);
        dst[2] = map(px[0]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use opencv::core::{Scalar, CV_8UC3};

    #[test]
    fn bgr_pixels_land_as_mapped_rgb() {
        let img =
            Mat::new_rows_cols_with_default(2, 2, CV_8UC3, Scalar::new(10.0, 20.0, 30.0, 0.0))
                .unwrap();
        let mut ints = Array4::<i32>::zeros((1, 2, 2, 3));
        fill_rgb(&img, &mut ints, i32::from).unwrap();
        assert_eq!(ints.as_slice().unwrap()[..3], [30, 20, 10]);
        let mut floats = Array4::<f32>::zeros((1, 2, 2, 3));
        fill_rgb(&img, &mut floats, |v| v as f32 * 2.0 / 255.0 - 1.0).unwrap();
        assert!((floats[[0, 1, 1, 0]] - (60.0 / 255.0 - 1.0)).abs() < 1e-6);
        // A crop of the wrong size is an error, not a partial fill.
        let mut big = Array4::<i32>::zeros((1, 3, 3, 3));
        assert!(fill_rgb(&img, &mut big, i32::from).is_err());
    }
}
