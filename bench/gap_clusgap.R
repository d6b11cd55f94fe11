# R side of bench/gap.js: cluster::clusGap on the same feature matrix (raw float64, row-major).
# usage: Rscript gap_clusgap.R FILE N D B KMAX NSTART ITERMAX
# prints one JSON line: R and cluster versions, elapsed / user seconds, and clusGap's table.
suppressMessages(library(cluster))
a <- commandArgs(trailingOnly = TRUE)
n <- as.integer(a[2]); d <- as.integer(a[3]); B <- as.integer(a[4]); kmax <- as.integer(a[5])
nstart <- as.integer(a[6]); itermax <- as.integer(a[7])
con <- file(a[1], "rb"); v <- readBin(con, "double", n * d); close(con)
X <- matrix(v, nrow = n, ncol = d, byrow = TRUE)
set.seed(0)
km <- function(x, k) suppressWarnings(kmeans(x, k, nstart = nstart, iter.max = itermax))
t <- system.time(g <- clusGap(X, km, K.max = kmax, B = B, d.power = 1, spaceH0 = "scaledPCA", verbose = FALSE))
tab <- g$Tab
num <- function(x) paste0("[", paste(sprintf("%.10g", x), collapse = ","), "]")
cat(sprintf('{"tool":"R %s, cluster %s","elapsed":%.3f,"user":%.3f,"system":%.3f,"logW":%s,"ElogW":%s,"gap":%s,"SE":%s,"firstSEmax":%d}\n',
  paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("cluster")), t[["elapsed"]], t[["user.self"]], t[["sys.self"]],
  num(tab[, "logW"]), num(tab[, "E.logW"]), num(tab[, "gap"]), num(tab[, "SE.sim"]),
  maxSE(tab[, "gap"], tab[, "SE.sim"], "firstSEmax")))
