# Fits the models of models.txt to the table of data.csv with R's glm
# (Poisson, log link) and prints, for each model: its number, the unseen
# count exp(intercept), the deviance, AIC and BIC (log of the persons
# observed, as the Go code does) and whether glm converged. Then the
# model chosen by the Bales–Hesketh–Silverman rule among them.
#
# For the models of leftout.txt (those whose estimate Go says does not
# exist) it prints the largest coefficient glm reaches and whether it
# converged.
#
# Usage: Rscript glm.R data.csv models.txt leftout.txt pthreshold
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
models <- readLines(args[2])
leftout <- readLines(args[3])
pthresh <- as.numeric(args[4])
n <- sum(d$y)
ctl <- glm.control(epsilon = 1e-14, maxit = 200)
fit <- function(rhs) glm(as.formula(paste("y ~", rhs)), family = poisson, data = d, control = ctl)
for (i in seq_along(models)) {
  f <- fit(models[i])
  p <- length(coef(f))
  ll <- as.numeric(logLik(f))
  cat(sprintf("model %d %.17g %.17g %.17g %.17g %s\n", i, exp(coef(f)[[1]]), deviance(f), AIC(f),
              -2 * ll + log(n) * p, f$converged))
}

for (i in seq_along(leftout)) {
  f <- suppressWarnings(fit(leftout[i]))
  cat(sprintf("leftout %d %.17g %s\n", i, max(abs(coef(f)), na.rm = TRUE), f$converged))
}

# The stepwise rule over the same candidates: from the first model (main
# effects), add the interaction whose model has the lowest AIC; keep it
# while it lowers AIC and its Wald p-value is below pthresh.
terms <- function(rhs) strsplit(rhs, "+", fixed = TRUE)[[1]]
current <- 1
repeat {
  have <- terms(models[current])
  best <- NA
  bestAIC <- AIC(fit(models[current]))
  for (j in seq_along(models)) {
    t <- terms(models[j])
    if (length(t) == length(have) + 1 && all(have %in% t)) {
      a <- AIC(fit(models[j]))
      if (a < bestAIC) {
        best <- j
        bestAIC <- a
      }
    }
  }
  if (is.na(best)) break
  added <- setdiff(terms(models[best]), have)
  co <- summary(fit(models[best]))$coefficients
  if (co[added, 4] > pthresh) break
  current <- best
}
cat(sprintf("stepwise %d\n", current))
