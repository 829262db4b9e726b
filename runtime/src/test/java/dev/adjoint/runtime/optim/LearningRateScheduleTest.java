package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void constantIsTheSameEverywhere() {
    LearningRateSchedule s = LearningRateSchedule.constant(0.01);
    assertEquals(0.01, s.at(0));
    assertEquals(0.01, s.at(1_000_000));
  }

  @Test
  void stepMultipliesByGammaEveryEverySteps() {
    LearningRateSchedule s = LearningRateSchedule.step(0.1, 10, 0.5);
    assertEquals(0.1, s.at(0));
    assertEquals(0.1, s.at(9));
    assertEquals(0.05, s.at(10));
    assertEquals(0.025, s.at(25));
  }

  @Test
  void cosineFollowsTheClosedFormThenHoldsTheMinimum() {
    LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 100, 0.1);
    assertEquals(1.0, s.at(0), 1e-15);
    assertEquals(0.1 + 0.9 * (1 + Math.sqrt(0.5)) / 2, s.at(25), 1e-15); // cos(pi/4)
    assertEquals(0.55, s.at(50), 1e-15);
    assertEquals(0.1 + 0.9 * (1 - Math.sqrt(0.5)) / 2, s.at(75), 1e-15); // cos(3pi/4)
    assertEquals(0.1, s.at(100), 1e-15);
    assertEquals(0.1, s.at(150));
  }

  @Test
  void linearWarmupRampsThenHandsOver() {
    LearningRateSchedule s = LearningRateSchedule.step(1.0, 10, 0.5).withLinearWarmup(4);
    assertEquals(0.25, s.at(0));
    assertEquals(0.5, s.at(1));
    assertEquals(1.0, s.at(3));
    assertEquals(1.0, s.at(9));
    assertEquals(0.5, s.at(10));
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(1).at(-1));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(1, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> LearningRateSchedule.constant(1).withLinearWarmup(0));
  }
}
